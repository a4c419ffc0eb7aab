// `npm start` runs the compiled copy of the server: it must build, start on a fresh embedded
// database with the shipped workflows, answer, and stop cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_ENTRY, SERVER_NODE_FLAGS, startArguments } from './build-server.js';

const root = join(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'onebox-start-'));

describe('the compiled server (npm start)', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is what package.json starts, with the same V8 flags the benches use', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.start).toContain(`node ${[...SERVER_NODE_FLAGS, SERVER_ENTRY].join(' ')}`);
  });

  it('starts on a new embedded database, deploys the workflows, answers and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, await startArguments(), {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: '',
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        SKIP_WEB_BUILD: 'true',
        LOG_LEVEL: 'warn',
        ADMIN_EMAIL: 'start@example.uz',
        ADMIN_PASSWORD: 'start-parol-1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = output.match(/running at (http:\/\/localhost:\d+)/);
          if (m?.[1]) {
            clearInterval(timer);
            resolve(m[1]);
          }
        }, 100);
        void exited.then((code) => {
          clearInterval(timer);
          reject(new Error(`the server exited with ${code}: ${output}`));
        });
      });
      expect(output).toMatch(
        /Processes deployed from workflows\/: complaint-escalation\.bpmn, deal-to-shipment\.bpmn/,
      );
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'start@example.uz', password: 'start-parol-1' }),
      });
      expect(login.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
