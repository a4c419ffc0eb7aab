// FEEL with feelin: conditions, mappings, scripts, assignments, timers. Nothing from a model ever
// runs as JavaScript; a `${...}` expression or a non-FEEL script is refused at deploy.
import { evaluate } from 'feelin';

export type Vars = Record<string, unknown>;

/** A Zeebe value: `=expr` is FEEL, anything else a literal string. */
export function isExpression(value: string): boolean {
  return value.trimStart().startsWith('=');
}

function body(expression: string): string {
  const trimmed = expression.trim();
  return trimmed.startsWith('=') ? trimmed.slice(1) : trimmed;
}

/** A syntax error's message with its position, or null when the expression parses. */
export function feelSyntaxError(expression: string): string | null {
  if (/\$\{/.test(expression))
    return `"${expression}" is a JavaScript/JUEL expression; only FEEL is executed`;
  try {
    evaluate(body(expression), {});
    return null;
  } catch (error) {
    const position = (error as { position?: { from: number; to: number } }).position;
    if (!position) return null; // a runtime failure on empty variables is not a syntax error
    return `FEEL syntax error at ${position.from}-${position.to} in "${body(expression)}": ${(error as Error).message}`;
  }
}

export class FeelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeelError';
  }
}

/** Evaluates FEEL to a JSON-friendly value (temporal values become their ISO text). */
export function evalFeel(expression: string, vars: Vars): unknown {
  try {
    const { value } = evaluate(body(expression), vars);
    return toJson(value);
  } catch (error) {
    throw new FeelError(`FEEL "${body(expression)}" failed: ${(error as Error).message}`);
  }
}

/** A Zeebe value that may be FEEL (`=...`) or a literal. */
export function evalValue(value: string, vars: Vars): unknown {
  return isExpression(value) ? evalFeel(value, vars) : value;
}

function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? null : value;
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Date) return value.toISOString();
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return String(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
}

/** `PT1H30M`, `P2D`, `PT0.5S` -> milliseconds; null when it is no ISO 8601 duration. */
export function parseDuration(text: string): number | null {
  const m =
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text.trim(),
    );
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  return ((d * 24 + h) * 60 + min) * 60_000 + s * 1000;
}
