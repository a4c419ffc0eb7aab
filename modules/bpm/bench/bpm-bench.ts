// `npm run bench:bpm`: the BPM engine on PostgreSQL with the real module registry, in a schema
// of its own (dropped at the end): (a) completed instances per second of start -> FEEL script
// -> service task (bench.noop) -> end, 10 concurrent starters, through the engine's API
// (registry.call as a user) and through HTTP; (b) starts to a user task, then completions per
// second, 10 concurrent completers. Printed beside bpmn-engine (in memory, same process, same
// models in JavaScript) with SQL statements per instance and peak memory.
// BENCH_DATABASE_URL (default the local test database), BENCH_SECONDS, BENCH_TASKS;
// BENCH_PROFILE=file.cpuprofile profiles the (a) engine loop (scripts/bench/profile-top.ts reads it).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import pino from 'pino';
import { openDatabase } from '../../../db/database.js';
import { postgresCpuMs, profiled } from '../../../scripts/bench/profile.js';
import { ensureFirstAdmin } from '../../../server/accounts/bootstrap.js';
import { actorFromSession } from '../../../server/accounts/resolve-actor.js';
import type { Actor } from '../../../server/core/module.js';
import type { CoreTables } from '../../../server/core/schema.js';
import { createSuite } from '../../../server/suite.js';
import { installedModules } from '../../index.js';
import type { BpmTables } from '../schema.js';
import { benchModule } from './bench-module.js';
import { SERVICE_PROCESS, serviceModel, TASK_PROCESS, taskModel } from './models.js';
import { referenceInstances, referenceTasks } from './reference.js';

const CLIENTS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const TASKS = Number(process.env.BENCH_TASKS ?? 2000);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const EMAIL = 'bench@example.uz';
const PASSWORD = 'bench-parol-1';

/** Counts every statement sent to PostgreSQL (BEGIN, savepoints and COMMIT included). */
let statements = 0;
let recorded: string[] | null = null;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  statements++;
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
  recorded?.push(String(text).replace(/\s+/g, ' ').slice(0, 160));
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

/** CPU time of this process since `since`, in ms (less sensitive to a busy machine than rates). */
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

function peakMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Math.round(Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024);
}

/** Runs `work` in `CLIENTS` loops for SECONDS; answers completions per second. */
async function loops(work: () => Promise<void>): Promise<number> {
  let done = 0;
  const until = Date.now() + SECONDS * 1000;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        await work();
        done++;
      }
    }),
  );
  return done / ((performance.now() - began) / 1000);
}

/** Takes items off a shared list in `CLIENTS` loops; answers items per second. */
async function drain<T>(items: T[], work: (item: T) => Promise<void>): Promise<number> {
  const queue = [...items];
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let item = queue.pop(); item !== undefined; item = queue.pop()) await work(item);
    }),
  );
  return items.length / ((performance.now() - began) / 1000);
}

const expectState = (what: string, got: string, want: string) => {
  if (got !== want) throw new Error(`${what}: the instance is ${got}, expected ${want}`);
};

const schema = `bpm_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`create schema ${schema}`);
const handle = await openDatabase<BpmTables & CoreTables>({ url, searchPath: schema, poolSize: CLIENTS + 2 });
try {
  const db = handle.db;
  const suite = await createSuite({
    db,
    modules: [...installedModules, benchModule],
    log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }),
  });
  await ensureFirstAdmin(db, { email: EMAIL, password: PASSWORD, name: 'Bench' });
  const address = await suite.app.listen({ port: 0, host: '127.0.0.1' });
  const login = await fetch(`${address}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const session = await actorFromSession(db, cookie.replace(/^sid=/, ''));
  if (!session) throw new Error('the bench user has no session');
  const actor: Actor = session.actor;
  const call = <T>(name: string, input: unknown) => suite.registry.call<T>(name, input, { actor });

  for (const xml of [serviceModel, taskModel(EMAIL)]) await call('bpm.deploy', { xml });
  const startService = async () => {
    const r = await call<{ state: string }>('bpm.startInstance', {
      processId: SERVICE_PROCESS,
      variables: { a: 1, b: 2 },
    });
    expectState('(a)', r.state, 'completed');
  };
  for (let i = 0; i < 50; i++) await startService(); // warm-up: compiled process, JIT, pool
  if (process.env.BENCH_SQL) {
    recorded = [];
    await startService();
    console.log(`The statements of one (a) instance:\n  ${recorded.join('\n  ')}`);
    recorded = null;
  }

  statements = 0;
  let counted = 0;
  const engineCpu = process.cpuUsage();
  const postgresBefore = postgresCpuMs();
  const engineRate = await profiled(() =>
    loops(async () => {
      await startService();
      counted++;
    }),
  );
  const perInstance = statements / counted;
  const engineCpuMs = cpuMs(engineCpu) / counted;
  const postgresAfter = postgresCpuMs();
  const postgresPerInstance =
    postgresBefore !== null && postgresAfter !== null ? (postgresAfter - postgresBefore) / counted : null;

  const httpRate = await loops(async () => {
    const response = await fetch(`${address}/api/bpm/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ processId: SERVICE_PROCESS, variables: { a: 1, b: 2 } }),
    });
    const body = (await response.json()) as { state: string };
    if (response.status !== 201) throw new Error(`HTTP ${response.status} ${JSON.stringify(body)}`);
    expectState('(a) HTTP', body.state, 'completed');
  });

  // (b): start TASKS instances to their user task, then complete every task.
  const instanceIds: string[] = [];
  const startsRate = await drain(
    Array.from({ length: TASKS }, (_, i) => i),
    async () => {
      const r = await call<{ id: string; state: string }>('bpm.startInstance', {
        processId: TASK_PROCESS,
        variables: { a: 1 },
      });
      expectState('(b) start', r.state, 'active');
      instanceIds.push(r.id);
    },
  );
  const tasks = await db
    .selectFrom('bpm_user_tasks')
    .select('id')
    .where('instance_id', 'in', instanceIds)
    .where('state', '=', 'open')
    .execute();
  if (tasks.length !== TASKS) throw new Error(`${tasks.length} open tasks, expected ${TASKS}`);
  const completeOne = async (id: string) => {
    const r = await call<{ instanceState: string }>('bpm.completeTask', {
      id,
      variables: { approved: true },
    });
    expectState('(b) complete', r.instanceState, 'completed');
  };
  if (process.env.BENCH_SQL) {
    recorded = [];
    const first = tasks.shift();
    if (first) await completeOne(first.id);
    console.log(`The statements of one (b) completion:\n  ${recorded.join('\n  ')}`);
    recorded = null;
  }
  statements = 0;
  const completeRate = await drain(
    tasks.map((t) => t.id),
    completeOne,
  );
  const perCompletion = statements / tasks.length;

  const peakEngine = peakMb();
  const refCpu = process.cpuUsage();
  const refRate = await referenceInstances(CLIENTS, SECONDS);
  const refCpuMs = cpuMs(refCpu) / (refRate * SECONDS);
  const ref = await referenceTasks(CLIENTS, TASKS);

  const history = await db
    .selectFrom('bpm_element_instances')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await suite.close();

  const row = (label: string, rate: number, reference: number) =>
    `  ${label.padEnd(46)} ${rate.toFixed(0).padStart(7)}/s   bpmn-engine ${reference.toFixed(0).padStart(7)}/s   ratio ${(rate / reference).toFixed(3)}`;
  console.log(
    `\nBPM engine on PostgreSQL, ${CLIENTS} concurrent clients (${SECONDS} s for (a), ${TASKS} instances for (b))`,
  );
  console.log(row('(a) instances, engine API (registry.call)', engineRate, refRate));
  console.log(row('(a) instances, HTTP POST /api/bpm/instances', httpRate, refRate));
  console.log(row('(b) starts to a user task, engine API', startsRate, ref.startRate));
  console.log(row('(b) task completions, engine API', completeRate, ref.completeRate));
  console.log(
    `  CPU of this process per (a) instance: engine API ${engineCpuMs.toFixed(2)} ms, bpmn-engine ${refCpuMs.toFixed(2)} ms`,
  );
  if (postgresPerInstance !== null)
    console.log(`  CPU of the PostgreSQL server per (a) instance: ${postgresPerInstance.toFixed(2)} ms`);
  console.log(`  HTTP / engine API for (a): ${(httpRate / engineRate).toFixed(2)}`);
  console.log(
    `  SQL statements (with BEGIN/COMMIT): ${perInstance.toFixed(1)} per (a) instance, ${perCompletion.toFixed(1)} per (b) completion`,
  );
  console.log(`  element-instance history rows kept: ${history.n}`);
  console.log(
    `  peak resident memory of this process: ${peakEngine} MB before bpmn-engine ran, ${peakMb()} MB after`,
  );
  console.log(`  target (a) >= 1000/s through the engine API: ${engineRate >= 1000 ? 'met' : 'NOT met'}`);
} finally {
  await handle.close();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
}
