// Timer values of a model (ISO 8601 date, duration, repeating cycle; FEEL allowed) turned into
// due dates: the first one when a timer is set, the next one when a cycle fires.
import { evalValue, FeelError, parseDuration, type Vars } from './feel.js';

export type TimerDefinition = { kind: 'duration' | 'date' | 'cycle'; value: string };

/** `R5/PT10M`, `R/PT1H`, `R/2026-01-01T09:00:00Z/P1D`: repetitions (null: forever), start, interval. */
export type Cycle = { repetitions: number | null; start: number | null; intervalMs: number };

/** A due date and how many more times the timer fires after it (null: forever). */
export type TimerPlan = { due: Date; repeatsLeft: number };

/** Repetitions of `R/...`: a cycle without a count repeats until its element ends. */
export const FOREVER = -1;

export function parseCycle(text: string): Cycle | null {
  const parts = text.trim().split('/');
  const head = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!head || parts.length < 2 || parts.length > 3) return null;
  const repetitions = head[1] ? Number(head[1]) : null;
  if (repetitions === 0) return null;
  const startText = parts.length === 3 ? parts[1] : undefined;
  const start = startText === undefined ? null : Date.parse(startText);
  if (start !== null && Number.isNaN(start)) return null;
  const intervalMs = parseDuration(parts[parts.length - 1] ?? '');
  if (intervalMs === null || intervalMs <= 0) return null;
  return { repetitions, start, intervalMs };
}

/** What is wrong with a literal timer value, or null when it is valid. */
export function timerValueProblem(timer: TimerDefinition): string | null {
  if (timer.kind === 'duration')
    return parseDuration(timer.value) === null ? `"${timer.value}" is not an ISO 8601 duration` : null;
  if (timer.kind === 'date')
    return Number.isNaN(Date.parse(timer.value)) ? `"${timer.value}" is not an ISO 8601 date-time` : null;
  return parseCycle(timer.value) === null
    ? `"${timer.value}" is not an ISO 8601 repeating interval (R5/PT10M, R/PT1H, R/2026-01-01T09:00:00Z/P1D)`
    : null;
}

function evaluated(timer: TimerDefinition, vars: Vars): string {
  const value = evalValue(timer.value, vars);
  if (typeof value !== 'string')
    throw new FeelError(`The timer ${timer.kind} "${timer.value}" gave ${JSON.stringify(value)}, not a text`);
  return value;
}

/** The first due date of a timer set `now`, with its variables. */
export function firstDue(timer: TimerDefinition, vars: Vars, now = new Date()): TimerPlan {
  const value = evaluated(timer, vars);
  if (timer.kind === 'duration') {
    const ms = parseDuration(value);
    if (ms === null) throw new FeelError(`The timer duration "${value}" is not an ISO 8601 duration`);
    return { due: new Date(now.getTime() + ms), repeatsLeft: 0 };
  }
  if (timer.kind === 'date') {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new FeelError(`The timer date "${value}" is not an ISO 8601 date-time`);
    return { due: new Date(at), repeatsLeft: 0 };
  }
  const cycle = parseCycle(value);
  if (!cycle) throw new FeelError(`The timer cycle "${value}" is not an ISO 8601 repeating interval`);
  const due = cycle.start ?? now.getTime() + cycle.intervalMs;
  return { due: new Date(due), repeatsLeft: cycle.repetitions === null ? FOREVER : cycle.repetitions - 1 };
}

/**
 * The occurrence after one that fired (null when the cycle is used up). Occurrences missed while
 * no server ran are not replayed: the one that fired late stands for them, the next is in the future.
 */
export function nextDue(
  timer: TimerDefinition,
  vars: Vars,
  fired: { due: Date; repeatsLeft: number },
  now = new Date(),
): TimerPlan | null {
  if (timer.kind !== 'cycle' || fired.repeatsLeft === 0) return null;
  const cycle = parseCycle(evaluated(timer, vars));
  if (!cycle) throw new FeelError(`The timer cycle "${timer.value}" is not an ISO 8601 repeating interval`);
  let due = fired.due.getTime() + cycle.intervalMs;
  if (due <= now.getTime()) due += Math.ceil((now.getTime() - due + 1) / cycle.intervalMs) * cycle.intervalMs;
  return { due: new Date(due), repeatsLeft: fired.repeatsLeft === FOREVER ? FOREVER : fired.repeatsLeft - 1 };
}
