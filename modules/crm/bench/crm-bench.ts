// `npm run bench:crm`: the clients list (filter, sort, page) and the search through the HTTP
// API at 10 concurrent clients, beside the same queries through raw `pg`, on a PostgreSQL
// database of CRM_CLIENTS generated clients (default 1,000,000; 3 activities each). The
// database `onebox_crm_bench` is kept between runs, so the data is generated once
// (BENCH_FRESH=1 starts over). Prints p50, p95, requests/s and the server's peak memory.
// The baseline runs the very function the action runs (`listClientPage`, so the same SQL
// statements in the same transaction) straight on a `pg` pool: what the API adds is HTTP,
// the session, validation and serialisation.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../../db/database.js';
import { startArguments } from '../../../scripts/build-server.js';
import { SYSTEM_ACTOR } from '../../../server/core/module.js';
import { type ClientListInput, clientListInput, listClientPage } from '../clients.js';
import type { CrmTables } from '../schema.js';

const root = join(import.meta.dirname, '..', '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = 10;
const COUNT = Number(process.env.CRM_CLIENTS ?? 1_000_000);
const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!baseUrl) {
  console.log(
    'bench:crm needs PostgreSQL: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test).',
  );
  process.exit(0);
}
const NAME = 'onebox_crm_bench';
const dbUrl = new URL(baseUrl);
dbUrl.pathname = `/${NAME}`;

function run(command: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...command], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command.join(' ')} exited with ${code}`)),
    );
  });
}

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, await startArguments(), {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl.toString(),
      PORT: '0',
      HOST: '127.0.0.1',
      SKIP_WEB_BUILD: 'true',
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: 'bench@example.uz',
      ADMIN_PASSWORD: 'bench-parol-1',
      DB_POOL_SIZE: '10',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const m = output.match(/running at (http:\/\/localhost:\d+)/);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { child, url };
}

type Result = { rps: number; p50: number; p95: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function rawRun(db: Kysely<CrmTables>, inputs: ClientListInput[]): Promise<Result> {
  const latencies: number[] = [];
  const until = Date.now() + SECONDS * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const input = inputs[i++ % inputs.length]!;
        const started = performance.now();
        // As the action runs: one transaction around the page and its count.
        await db.transaction().execute((trx) => listClientPage(trx, SYSTEM_ACTOR, input));
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / SECONDS, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

async function httpRun(url: string, cookie: string, paths: string[]): Promise<Result> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: CLIENTS,
    duration: SECONDS,
    headers: { cookie },
    requests: [{ setupRequest: (request) => ({ ...request, path: paths[i++ % paths.length]! }) }],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  // autocannon keeps an HDR histogram: p90 and p97.5 bracket p95; report the higher.
  return { rps: result.requests.average, p50: result.latency.p50, p95: result.latency.p97_5 };
}

const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
if (process.env.BENCH_FRESH) await admin.query(`drop database if exists ${NAME} with (force)`);
const exists = await admin.query('select 1 from pg_database where datname = $1', [NAME]);
if (exists.rowCount === 0) await admin.query(`create database ${NAME}`);
await admin.end();
await run(['modules/crm/cli/seed-large.ts'], { DATABASE_URL: dbUrl.toString(), CRM_CLIENTS: String(COUNT) });

const server = await startServer();
const database = await openDatabase<CrmTables>({ url: dbUrl.toString(), poolSize: CLIENTS });
try {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.uz', password: 'bench-parol-1' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  // Regions that hold active clients in the generated data (region and status cycle together,
  // so TK and FA have none: a list of them would measure an empty page).
  const regions = ['SA', 'BU', 'AN', 'NG', 'SU', 'QR'];
  const listQueries = regions.flatMap((r) =>
    [0, 50, 100].map((o) => `status=active&region=${r}&sort=name&limit=50&offset=${o}`),
  );
  const terms = [
    'samarqand agro',
    'toshkent qurilish',
    'karimov aziz',
    'buxoro tekstl',
    'info12345@',
    '901234',
    'fargona mebel',
    'nazarov bobur 77',
  ];
  const searchQueries = terms.map((q) => `q=${encodeURIComponent(q)}&limit=20`);
  const toPaths = (queries: string[]) => queries.map((q) => `/api/crm/clients?${q}`);
  const toInputs = (queries: string[]) =>
    queries.map((q) => clientListInput.parse(Object.fromEntries(new URLSearchParams(q))));
  const rows: string[] = [];
  // Warm both paths once so neither pays for a cold cache.
  await httpRun(server.url, cookie, toPaths([...listQueries, ...searchQueries])).catch(() => undefined);
  for (const [label, queries] of [
    ['list: status+region, by name, page', listQueries],
    ['search: q (prefix, typo, phone)', searchQueries],
  ] as const) {
    const baseline = await rawRun(database.db, toInputs(queries));
    const http = await httpRun(server.url, cookie, toPaths(queries));
    rows.push(
      `| ${label} | ${baseline.rps.toFixed(0)} | ${baseline.p50.toFixed(1)} / ${baseline.p95.toFixed(1)} | ${http.rps.toFixed(0)} | ${http.p50} / ${http.p95} | ${(http.rps / baseline.rps).toFixed(2)} |`,
    );
  }
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const peak = Math.round(Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024);
  console.log(
    `\nCRM clients, ${COUNT.toLocaleString('en')} clients, ${CLIENTS} concurrent clients, ${SECONDS} s each (PostgreSQL)`,
  );
  console.log('| query | raw pg req/s | raw p50 / p95 ms | API req/s | API p50 / p97.5 ms | ratio |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
  console.log(`server peak resident memory: ${peak} MB`);
} finally {
  await database.close();
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.on('exit', resolve));
}
