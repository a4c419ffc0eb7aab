// bpmn-engine 25 (in memory, this process) running the bench models: the reference the
// persistent engine's figures are printed beside.
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { serviceModelJs, taskModelJs } from './models.js';

type Next = (error: Error | null, result?: unknown) => void;
const services = { noop: (_context: unknown, next: Next) => next(null, {}) };

async function runOne(source: string, onWait?: (api: { signal(message?: unknown): void }) => void) {
  const engine = new Engine({ name: 'bench', source, services });
  const listener = new EventEmitter();
  if (onWait) listener.on('wait', onWait);
  const ended = engine.waitFor('end');
  await engine.execute({ listener, variables: { a: 1, b: 2 } });
  await ended;
}

/** (a) completed instances per second, `clients` concurrent loops for `seconds`. */
export async function referenceInstances(clients: number, seconds: number): Promise<number> {
  let done = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        await runOne(serviceModelJs);
        done++;
      }
    }),
  );
  return done / seconds;
}

/** (b) starts to a waiting user task, then completions, `count` of each; rates per second. */
export async function referenceTasks(clients: number, count: number) {
  const waiting: { signal(message?: unknown): void }[] = [];
  const ended: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    let reached: () => void = () => {};
    const atTask = new Promise<void>((resolve) => {
      reached = resolve;
    });
    ended.push(
      runOne(taskModelJs, (api) => {
        waiting.push(api);
        reached();
      }),
    );
    await atTask;
  }
  const startRate = count / ((performance.now() - started) / 1000);
  const completing = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let api = waiting.pop(); api; api = waiting.pop()) {
        api.signal({ approved: true });
        await Promise.resolve();
      }
    }),
  );
  await Promise.all(ended);
  return { startRate, completeRate: count / ((performance.now() - completing) / 1000) };
}
