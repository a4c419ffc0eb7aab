// `npm run bench:stock`: write-offs per second through the HTTP API (create and post, with
// Idempotency-Key, session, audit, events, ledger) at 10 concurrent clients, on one hot
// product and on random products, beside a baseline measured in the same run: raw
// conditional-update write-offs through `pg` on the same rows, in alternating rounds. Needs PostgreSQL
// (TEST_DATABASE_URL or BENCH_DATABASE_URL); prints the server's peak memory.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { startArguments } from '../../../scripts/build-server.js';

const root = join(import.meta.dirname, '..', '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
// The machine is shared: raw and API phases alternate, and the ratio of each round is taken
// between phases seconds apart, so a load that comes and goes moves both sides of a ratio.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// Both sides run this long before the measured rounds, uncounted: the server's code is still
// being compiled and each pooled connection prepares its statements on first use.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CLIENTS = 10;
// Random write-offs pick among these; more of them show how the statements' plans scale.
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 50);
// `hot` or `random` measures that phase alone (to profile one of them).
const ONLY = process.env.BENCH_ONLY;
const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!baseUrl) {
  console.log(
    'bench:stock needs PostgreSQL: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test).',
  );
  process.exit(0);
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
      ...(await startArguments()),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        SKIP_WEB_BUILD: 'true',
        LOG_LEVEL: 'warn',
        ADMIN_EMAIL: 'bench@example.uz',
        ADMIN_PASSWORD: 'bench-parol-1',
        DB_POOL_SIZE: '10',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
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

async function api(url: string, cookie: string, path: string, body: unknown, key?: string) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...(key && { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** CPU time (user + system) of processes, in ms, from /proc; a process gone counts 0. */
function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** The PostgreSQL backends serving the bench database: the server's, or the raw baseline's. */
async function backends(raw: boolean): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `select pid from pg_stat_activity where datname = $1 and (application_name = 'bench-raw') = $2`,
    [name, raw],
  );
  return rows.map((r) => r.pid);
}

/** CPU spent per write-off, in ms, by the load generator, the server and PostgreSQL. */
type Cost = { writeOffs: number; client: number; server: number; postgres: number };
const costs = new Map<string, { raw: Cost; api: Cost }>();
const zero = (): Cost => ({ writeOffs: 0, client: 0, server: 0, postgres: 0 });

async function rawBaseline(
  databaseUrl: string,
  warehouseId: string,
  pick: () => string,
  cost: Cost,
  seconds = SECONDS,
): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CLIENTS, application_name: 'bench-raw' });
  const clientBefore = ownCpuMs();
  let done = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const result = await pool.query(
          `update erp_stock_balances set quantity = quantity - 1
           where product_id = $1 and warehouse_id = $2 and quantity - reserved >= 1`,
          [pick(), warehouseId],
        );
        if (result.rowCount === 1) done++;
      }
    }),
  );
  cost.client += ownCpuMs() - clientBefore;
  // The pool's backends were started for this phase: all their CPU is this phase's.
  cost.postgres += cpuMs(await backends(true));
  cost.writeOffs += done;
  await pool.end();
  return done / seconds;
}

async function httpWriteOffs(
  url: string,
  cookie: string,
  warehouseId: string,
  pick: () => string,
  serverPid: number,
  cost: Cost,
  seconds = SECONDS,
) {
  // Per backend: the server's pool closes a connection idle for 10 s (in a long raw phase) and
  // opens another when the load comes back, whose CPU then counts whole.
  const startCpu = new Map((await backends(false)).map((pid) => [pid, cpuMs([pid])]));
  const before = { client: ownCpuMs(), server: cpuMs([serverPid]) };
  const result = await autocannon({
    url: `${url}/api/erp/stock-documents?post=true`,
    method: 'POST',
    connections: CLIENTS,
    duration: seconds,
    headers: { 'content-type': 'application/json', cookie },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, 'idempotency-key': randomUUID() },
          body: JSON.stringify({
            type: 'write_off',
            warehouseId,
            reason: 'damaged',
            lines: [{ productId: pick(), quantity: 1 }],
          }),
        }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  cost.client += ownCpuMs() - before.client;
  cost.server += cpuMs([serverPid]) - before.server;
  for (const pid of await backends(false)) cost.postgres += cpuMs([pid]) - (startCpu.get(pid) ?? 0);
  cost.writeOffs += result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, p97: result.latency.p97_5 };
}

/**
 * The HTTP floor: a bare Fastify route in this process taking the same body and answering, so
 * the report shows what HTTP alone allows on this machine beside the raw baseline.
 */
async function bareHttp(): Promise<number> {
  const app = Fastify();
  app.post('/write-off', async (request) => ({ id: randomUUID(), received: request.body }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const result = await autocannon({
    url: `${url}/write-off`,
    method: 'POST',
    connections: CLIENTS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'write_off', warehouseId: randomUUID(), reason: 'damaged', lines: [] }),
  });
  await app.close();
  return result.requests.average;
}

const name = `onebox_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const dbUrl = new URL(baseUrl);
dbUrl.pathname = `/${name}`;
const server = await startServer(dbUrl.toString());
try {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.uz', password: 'bench-parol-1' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const warehouse = await api(server.url, cookie, '/api/erp/warehouses', { code: 'BENCH', name: 'Bench' });
  const products: string[] = [];
  // Ten at a time: a few thousand products are created in seconds.
  for (let i = 0; i < PRODUCTS; i += 10) {
    const batch = Array.from({ length: Math.min(10, PRODUCTS - i) }, (_, j) =>
      api(server.url, cookie, '/api/erp/products', {
        sku: `B-${i + j}`,
        name: `Mahsulot ${i + j}`,
        unit: 'pcs',
      }),
    );
    for (const product of await Promise.all(batch)) products.push(product.id);
  }
  // A document holds at most 1 000 lines.
  for (let i = 0; i < products.length; i += 1000) {
    await api(
      server.url,
      cookie,
      '/api/erp/stock-documents?post=true',
      {
        type: 'receipt',
        warehouseId: warehouse.id,
        lines: products.slice(i, i + 1000).map((productId) => ({ productId, quantity: 1_000_000 })),
      },
      randomUUID(),
    );
  }
  const hot = () => products[0]!;
  const random = () => products[Math.floor(Math.random() * products.length)]!;
  if (WARMUP_SECONDS > 0) {
    await rawBaseline(dbUrl.toString(), warehouse.id, random, zero(), WARMUP_SECONDS);
    await httpWriteOffs(server.url, cookie, warehouse.id, random, server.child.pid!, zero(), WARMUP_SECONDS);
  }
  const rows: string[] = [];
  for (const [label, pick] of [
    ['one hot product', hot],
    ['random products', random],
  ] as const) {
    if (ONLY && !label.includes(ONLY)) continue;
    const ratios: number[] = [];
    const cost = { raw: zero(), api: zero() };
    costs.set(label, cost);
    for (let round = 1; round <= ROUNDS; round++) {
      const raw = await rawBaseline(dbUrl.toString(), warehouse.id, pick, cost.raw);
      const http = await httpWriteOffs(server.url, cookie, warehouse.id, pick, server.child.pid!, cost.api);
      ratios.push(http.rps / raw);
      rows.push(
        `  ${label.padEnd(16)} #${round}  raw pg ${raw.toFixed(0).padStart(6)}/s   API ${http.rps.toFixed(0).padStart(5)}/s   ratio ${(http.rps / raw).toFixed(2)}   API p50 ${http.p50} ms, p97.5 ${http.p97} ms`,
      );
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    rows.push(`  ${label.padEnd(16)} median ratio ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}`);
  }
  const floor = await bareHttp();
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const peak = Math.round(Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024);
  console.log(
    `\nWrite-offs of 1 unit, ${CLIENTS} concurrent clients, ${ROUNDS} rounds of ${SECONDS} s raw then ${SECONDS} s API (PostgreSQL), after ${WARMUP_SECONDS} s of each uncounted`,
  );
  for (const row of rows) console.log(row);
  console.log(`  HTTP floor: a bare Fastify route taking the same body answers ${floor.toFixed(0)}/s`);
  // CPU per write-off does not depend on how busy the machine is; on two saturated cores the
  // throughput ratio tends to the inverse of the ratio of these totals.
  console.log('CPU per write-off, ms (load generator + server + PostgreSQL):');
  for (const [label, { raw, api }] of costs) {
    const per = (c: Cost, part: number) => (part / Math.max(c.writeOffs, 1)).toFixed(2);
    const total = (c: Cost) => c.client + c.server + c.postgres;
    console.log(
      `  ${label.padEnd(16)} raw ${per(raw, raw.client)} + ${per(raw, raw.server)} + ${per(raw, raw.postgres)} = ${per(raw, total(raw))}` +
        `   API ${per(api, api.client)} + ${per(api, api.server)} + ${per(api, api.postgres)} = ${per(api, total(api))}` +
        `   raw/API ${(total(raw) / Math.max(raw.writeOffs, 1) / (total(api) / Math.max(api.writeOffs, 1))).toFixed(2)}`,
    );
  }
  console.log(`  server peak resident memory: ${peak} MB`);
} finally {
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.on('exit', resolve));
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
