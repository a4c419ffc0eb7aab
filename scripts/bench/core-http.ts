// `npm run bench`: the core's hot paths through HTTP at 10 concurrent clients, each printed
// as a ratio to a baseline measured in the same run (GET /healthz: Fastify without the
// database), with the server's peak resident memory. Runs on the embedded database, and on
// PostgreSQL too when TEST_DATABASE_URL is set.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startArguments } from '../build-server.js';

const root = join(import.meta.dirname, '..', '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;

type Server = { child: ChildProcess; url: string };

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, await startArguments(), {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SKIP_WEB_BUILD: 'true', LOG_LEVEL: 'warn', ...env },
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

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, in MB. */
function rssMb(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (field: string) =>
    Math.round(Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0) / 1024);
  return { peak: read('VmHWM'), now: read('VmRSS') };
}

async function load(url: string, path: string, cookie: string) {
  const result = await autocannon({
    url: `${url}${path}`,
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { cookie },
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p95: result.latency.p97_5 };
}

async function bench(label: string, env: Record<string, string>): Promise<void> {
  const server = await startServer({
    ...env,
    ADMIN_EMAIL: 'bench@example.uz',
    ADMIN_PASSWORD: 'bench-parol-1',
  });
  try {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.uz', password: 'bench-parol-1' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    for (let i = 0; i < 300; i++) {
      await fetch(`${server.url}/api/admin/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({
          email: `u${i}@bench.uz`,
          name: `Xodim ${i}`,
          password: 'parol-12345',
          roles: ['employee'],
        }),
      });
    }
    const rows: [string, Awaited<ReturnType<typeof load>>][] = [];
    rows.push(['GET /healthz (baseline)', await load(server.url, '/healthz', cookie)]);
    rows.push(['GET /api/auth/me', await load(server.url, '/api/auth/me', cookie)]);
    rows.push([
      'GET /api/admin/users?limit=50',
      await load(server.url, '/api/admin/users?limit=50&sort=name', cookie),
    ]);
    rows.push(['GET /api/admin/audit?limit=50', await load(server.url, '/api/admin/audit?limit=50', cookie)]);
    const base = rows[0]![1].rps;
    console.log(`\n${label}: ${CONNECTIONS} connections, ${DURATION} s each`);
    console.log('  route                              req/s   ratio   p50 ms  p97.5 ms');
    for (const [name, r] of rows) {
      console.log(
        `  ${name.padEnd(32)} ${r.rps.toFixed(0).padStart(7)} ${(r.rps / base).toFixed(2).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p95).padStart(9)}`,
      );
    }
    const memory = rssMb(server.child.pid!);
    console.log(`  server resident memory: peak ${memory.peak} MB, now ${memory.now} MB`);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.on('exit', resolve));
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'onebox-bench-'));
try {
  await bench('Embedded PGlite', { DATA_DIR: dataDir, DATABASE_URL: '' });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

if (process.env.TEST_DATABASE_URL) {
  const base = new URL(process.env.TEST_DATABASE_URL);
  const name = `onebox_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  try {
    await bench('PostgreSQL', { DATABASE_URL: url.toString() });
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
} else {
  console.log('\nPostgreSQL not measured: set TEST_DATABASE_URL to include it.');
}
