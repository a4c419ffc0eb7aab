// What a browser test needs: the built web app served by a real server on a random port
// with a fresh embedded database, and Debian's Chromium driven by playwright-core.
// Written on the web side while the server side had none yet; the server side owns it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildWeb, webBuildIsStale } from '../cli/web-build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = join(root, '.test-artifacts', 'browser');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type BrowserHarness = {
  baseUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** A page in a browser context of its own: its cookies are not shared with other pages. */
  newPage(): Promise<Page>;
  /** Saves a PNG of the page under .test-artifacts/browser/. */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds web/dist when stale; a lock directory keeps parallel test files from building at once. */
async function ensureWebBuilt(): Promise<void> {
  // Outside web/: a change there would make the fresh build look stale again.
  mkdirSync(join(root, '.test-artifacts'), { recursive: true });
  const lock = join(root, '.test-artifacts', 'web-build.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (attempt > 600) throw new Error(`web build lock ${lock} held for over 2 minutes`);
      await sleep(200);
    }
  }
  try {
    if (webBuildIsStale(root)) await buildWeb(root, () => {});
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`server not ready within 120 s:\n${output()}`);
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 20_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    try {
      // The server runs in a process group of its own (tsx starts a child node).
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(force);
      resolve();
    }
  });
}

/**
 * Starts the suite for one browser test file.
 *
 * @example
 * const harness = await startBrowserHarness();
 * const page = await harness.newPage();
 * await page.goto(harness.baseUrl);
 * await harness.close();
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  await ensureWebBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'onebox-browser-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const adminEmail = 'admin@example.uz';
  const adminPassword = 'admin-pass-12345';

  let log = '';
  const child = spawn(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'server/cli/start.ts'],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        ADMIN_EMAIL: adminEmail,
        ADMIN_PASSWORD: adminPassword,
        DATABASE_URL: '',
        SKIP_WEB_BUILD: 'true',
        LOG_LEVEL: 'warn',
      },
    },
  );
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let browser: Browser | null = null;
  try {
    await waitUntilReady(baseUrl, child, () => log);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
  } catch (error) {
    await stopServer(child);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const contexts: BrowserContext[] = [];
  const openBrowser = browser;

  return {
    baseUrl,
    adminEmail,
    adminPassword,
    async newPage() {
      const context = await openBrowser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'en-GB',
      });
      contexts.push(context);
      return context.newPage();
    },
    async screenshot(page, name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '-')}.png`) });
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await openBrowser.close().catch(() => {});
      await stopServer(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
