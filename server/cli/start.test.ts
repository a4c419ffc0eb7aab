// `npm start` as an operator meets it: the first admin printed once, data kept across a
// restart, a clean SIGTERM that finishes requests in flight, no acknowledged write lost when
// the process is killed, one process per embedded folder, and several processes sharing one
// PostgreSQL.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

type Server = {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  exited: Promise<number>;
};

function start(env: Record<string, string>): Promise<Server> {
  // The server runs in this very process (tsx as a loader, not tsx's CLI, which would run it
  // in a child of its own): a SIGKILL must reach the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SKIP_WEB_BUILD: 'true',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = output.match(/running at (http:\/\/localhost:\d+)/);
      if (match) {
        clearInterval(timer);
        resolve({ child, url: match[1]!, output: () => output, exited });
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(Object.assign(new Error(`server exited with ${code}`), { output }));
    });
  });
}

/**
 * What the server printed once it matches: the lines after "running at" may reach the pipe in a
 * later chunk than it, read by a later poll.
 */
async function printed(server: Server, pattern: RegExp): Promise<RegExpMatchArray | null> {
  for (let tries = 0; tries < 100; tries++) {
    const match = server.output().match(pattern);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

async function login(url: string, email: string, password: string) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: response.status, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? '' };
}

describe('npm start on the embedded database', { timeout: 90_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onebox-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  let password = '';

  it('creates the first admin with a generated password, printed once with the address', async () => {
    const server = await start({ DATA_DIR: dataDir, ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    try {
      const match = await printed(server, /sign in as (\S+)\n\s+Password: (\S+)\n/);
      expect(match).not.toBeNull();
      password = match![2]!;
      expect(server.output()).toContain(server.url);
      expect((await login(server.url, match![1]!, password)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('refuses a second process on the same folder instead of corrupting it', async () => {
    const first = await start({ DATA_DIR: dataDir });
    try {
      const second = start({ DATA_DIR: dataDir });
      const error = await second.catch((e: { output: string }) => e);
      expect((error as { output: string }).output).toMatch(/in use by process \d+/);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });

  it('finishes a request in flight on SIGTERM, exits 0, and keeps the data for the next start', async () => {
    // A costly hash makes a sign-in of an unknown e-mail take a few hundred milliseconds,
    // so SIGTERM surely arrives while it runs.
    const server = await start({ DATA_DIR: dataDir, PASSWORD_HASH_COST: '16' });
    const inFlight = login(server.url, 'nobody@example.uz', 'whatever-1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(401);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shut down cleanly');

    const again = await start({ DATA_DIR: dataDir });
    try {
      expect(again.output()).not.toContain('First start');
      expect((await login(again.url, 'admin@onebox.local', password)).status).toBe(200);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});

describe('a server killed while it posts', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onebox-kill-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { DATA_DIR: dataDir, ADMIN_EMAIL: 'ombor@example.uz', ADMIN_PASSWORD: 'ombor-parol-1' };

  it('keeps every acknowledged posting, starts again, and posts each unanswered one once on retry', async () => {
    const server = await start(env);
    const { cookie } = await login(server.url, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
    const send = async (url: string, cookie: string, path: string, body: unknown, key?: string) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { id: string } };
    };
    const warehouse = (await send(server.url, cookie, '/api/erp/warehouses', { code: 'KILL', name: 'Ombor' }))
      .body;
    const product = (
      await send(server.url, cookie, '/api/erp/products', { sku: 'KILL-1', name: 'Sement', unit: 'pcs' })
    ).body;
    const receipt = {
      type: 'receipt',
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: '1', price: '50000' }],
    };

    // Four clerks post receipts of one piece until 60 are acknowledged; then the process dies
    // (SIGKILL: no shutdown, no flush) with postings in flight.
    let acknowledged = 0;
    const unanswered: string[] = [];
    let killed = false;
    const clerk = async () => {
      while (!killed) {
        const key = randomUUID();
        try {
          const posted = await send(server.url, cookie, '/api/erp/stock-documents?post=true', receipt, key);
          expect(posted.status).toBe(201);
          acknowledged++;
        } catch {
          unanswered.push(key);
          return;
        }
        if (acknowledged >= 60 && !killed) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([clerk(), clerk(), clerk(), clerk()]);
    await server.exited;

    const again = await start(env);
    try {
      const session = await login(again.url, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
      const read = async (path: string) =>
        (await (await fetch(`${again.url}${path}`, { headers: { cookie: session.cookie } })).json()) as {
          items: { quantity: string }[];
          total: number;
        };
      const before = Number(
        (await read(`/api/erp/stock-balances?productId=${product.id}`)).items[0]!.quantity,
      );
      expect(before).toBeGreaterThanOrEqual(acknowledged);
      expect(before).toBeLessThanOrEqual(acknowledged + unanswered.length);
      // The clerks send again what got no answer, with the same keys: each posts exactly once.
      for (const key of unanswered) {
        const retried = await send(
          again.url,
          session.cookie,
          '/api/erp/stock-documents?post=true',
          receipt,
          key,
        );
        expect([200, 201]).toContain(retried.status);
      }
      const balance = (await read(`/api/erp/stock-balances?productId=${product.id}`)).items[0]!;
      expect(Number(balance.quantity)).toBe(acknowledged + unanswered.length);
      expect((await read('/api/erp/stock-documents?type=receipt&limit=1')).total).toBe(
        acknowledged + unanswered.length,
      );
      const check = await (
        await fetch(`${again.url}/api/erp/stock-check`, { headers: { cookie: session.cookie } })
      ).json();
      expect(check).toMatchObject({ ok: true, differences: [] });
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('npm start on PostgreSQL', { timeout: 90_000 }, () => {
  it('runs several processes on one database: migrations once, sessions shared', async () => {
    const base = new URL(process.env.TEST_DATABASE_URL!);
    const name = `onebox_start_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const env = {
      DATABASE_URL: url.toString(),
      ADMIN_EMAIL: 'boss@example.uz',
      ADMIN_PASSWORD: 'boss-parol-1',
    };
    try {
      // Started at the same moment: both race to migrate and to create the first admin.
      const [a, b] = await Promise.all([start(env), start(env)]);
      try {
        const firstStarts = [a, b].filter((s) => s.output().includes('First start')).length;
        expect(firstStarts).toBe(1);
        const session = await login(a.url, 'boss@example.uz', 'boss-parol-1');
        expect(session.status).toBe(200);
        const me = await fetch(`${b.url}/api/auth/me`, { headers: { cookie: session.cookie } });
        expect(me.status).toBe(200);
      } finally {
        a.child.kill('SIGTERM');
        b.child.kill('SIGTERM');
        expect(await a.exited).toBe(0);
        expect(await b.exited).toBe(0);
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
