// `npm run bench:crm`: the clients list (filter, sort, page) and the search through the HTTP
// API at 10 concurrent clients, beside the same queries through raw `pg`, on a PostgreSQL
// database of CRM_CLIENTS generated clients (default 1,000,000; 3 activities each). The
// database `onebox_crm_bench` is kept between runs, so the data is generated once
// (BENCH_FRESH=1 starts over). Prints p50, p95, requests/s and the server's peak memory.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

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
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/start.ts'], {
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

async function rawRun(pool: pg.Pool, makeQuery: (i: number) => [string, unknown[]]): Promise<Result> {
  const latencies: number[] = [];
  const until = Date.now() + SECONDS * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const [text, values] = makeQuery(i++);
        const started = performance.now();
        const client = await pool.connect();
        try {
          // The same shape of work as the API: a transaction around the page and its count.
          await client.query('begin');
          await client.query(text, values);
          await client.query('commit');
        } finally {
          client.release();
        }
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
const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: CLIENTS });
try {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.uz', password: 'bench-parol-1' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const regions = ['TK', 'SA', 'BU', 'FA', 'AN', 'NG'];
  const listPaths = regions.flatMap((r) =>
    [0, 50, 100].map((o) => `/api/crm/clients?status=active&region=${r}&sort=name&limit=50&offset=${o}`),
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
  const searchPaths = terms.map((q) => `/api/crm/clients?q=${encodeURIComponent(q)}&limit=20`);
  const select = `select c.id, c.kind, c.name, c.tax_id, c.region, c.industry, c.segment, c.source, c.status, c.owner_id,
      (select u.name from core_users u where u.id = c.owner_id) as owner_name, c.tags, c.phones, c.emails,
      c.website, c.address, c.notes, c.created_at, c.updated_at,
      (select json_build_object('id', a.id, 'type', a.type, 'subject', a.subject, 'dueAt', a.due_at)
        from crm_activities a where a.client_id = c.id and not a.done and a.due_at is not null order by a.due_at limit 1) as next_activity
    from crm_clients c`;
  const rawList = (i: number): [string, unknown[]] => {
    const r = regions[i % regions.length]!;
    const o = [0, 50, 100][i % 3]!;
    return [
      `with page as (${select} where c.status = 'active' and c.region = $1 order by lower(c.name), c.id limit 50 offset $2)
       select (select count(*) from crm_clients c where c.status = 'active' and c.region = $1) as total, page.* from page`,
      [r, o],
    ];
  };
  // The API's search: a literal match when there is one, else the typo-tolerant similarity.
  const rawSearch = (i: number): [string, unknown[]] => {
    const q = terms[i % terms.length]!;
    const digits = /^[\d\s+()-]+$/.test(q);
    const term = digits ? q.replace(/\D/g, '') : q.toLowerCase().replace(/[ʻʼ'`‘’]/g, '');
    return [
      `with literal as (select exists (select 1 from crm_clients c where c.search_text like $2) as found),
       page as (${select} where case when (select found from literal) then c.search_text like $2 else $1 <% c.search_text end
         order by word_similarity($1, c.search_text) desc, lower(c.name), c.id limit 20)
       select * from page`,
      [term, `%${term}%`],
    ];
  };
  const rows: string[] = [];
  // Warm both paths once so neither pays for a cold cache.
  await httpRun(server.url, cookie, [...listPaths, ...searchPaths]).catch(() => undefined);
  for (const [label, paths, raw] of [
    ['list: status+region, by name, page', listPaths, rawList],
    ['search: q (prefix, typo, phone)', searchPaths, rawSearch],
  ] as const) {
    const baseline = await rawRun(pool, raw);
    const http = await httpRun(server.url, cookie, paths);
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
  await pool.end();
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.on('exit', resolve));
}
