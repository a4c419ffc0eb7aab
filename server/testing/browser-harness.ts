// Starts the real server (built web app, fresh embedded database, random port) and Debian's
// Chromium for a browser test file.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildWeb, webBuildIsStale } from '../cli/web-build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(root, '.test-artifacts', 'screenshots');

export type BrowserHarness = {
  baseUrl: string;
  adminEmail: string;
  adminPassword: string;
  newPage(options?: { width?: number; height?: number; locale?: string }): Promise<Page>;
  /** Signs in on the sign-in page (the admin unless told otherwise) and sets the language. */
  signIn(
    page: Page,
    options?: { email?: string; password?: string; language?: 'uz' | 'ru' | 'en' },
  ): Promise<void>;
  screenshot(page: Page, name: string): Promise<void>;
  /** Stops browser and server; fails if a page logged an error or threw (a grid module missing, say). */
  close(): Promise<void>;
};

let building: Promise<void> | undefined;

async function startServer(dataDir: string, adminEmail: string, adminPassword: string) {
  const child = spawn(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'server/cli/start.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        ADMIN_EMAIL: adminEmail,
        ADMIN_PASSWORD: adminPassword,
        SKIP_WEB_BUILD: 'true',
        PASSWORD_HASH_COST: '10',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/running at (http:\/\/localhost:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return { child, baseUrl };
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startBrowserHarness(): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
  building ??= webBuildIsStale(root) ? buildWeb(root, () => {}) : Promise.resolve();
  await building;
  const dataDir = mkdtempSync(join(tmpdir(), 'onebox-browser-'));
  const adminEmail = 'admin@example.uz';
  const adminPassword = 'admin-parol-123';
  const { child, baseUrl } = await startServer(dataDir, adminEmail, adminPassword);
  let browser: Browser;
  try {
    // Playwright gives every launch a fresh, empty profile of its own (it refuses --user-data-dir).
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (error) {
    await stopServer(child);
    throw error;
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A refused request is logged by Chromium itself ("Failed to load resource"): the tests make
  // those on purpose. Anything else on the console is the app's own error.
  const pageErrors: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error' || message.text().startsWith('Failed to load resource')) return;
      pageErrors.push(`${page.url()}: ${message.text()}`);
    });
  };
  return {
    baseUrl,
    adminEmail,
    adminPassword,
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
        locale: options.locale ?? 'en-GB',
      });
      const page = await context.newPage();
      watch(page);
      return page;
    },
    async signIn(page, options = {}) {
      const language = options.language ?? 'en';
      await page.goto(`${baseUrl}/`);
      const form = page.getByTestId('sign-in-form');
      await form.waitFor();
      await page.selectOption('[data-testid=language-select]', language);
      await form.locator('input[type=email]').fill(options.email ?? adminEmail);
      await form.locator('input[type=password]').fill(options.password ?? adminPassword);
      await page.getByTestId('sign-in-submit').click();
      await page.getByTestId('sign-out').waitFor();
      // a user's remembered language wins at sign-in: choose again where it differs
      if ((await page.inputValue('[data-testid=language-select]')) !== language)
        await page.selectOption('[data-testid=language-select]', language);
      await page.locator(`html[lang=${language}]`).waitFor({ state: 'attached' });
      // The server's messages follow the user's saved language: wait until the switch is saved.
      for (let tries = 0; tries < 100; tries++) {
        const me = await page.request.get(`${baseUrl}/api/auth/me`);
        if (((await me.json()) as { user?: { locale?: string } }).user?.locale === language) break;
        await page.waitForTimeout(100);
      }
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close().catch(() => {});
      await stopServer(child);
      rmSync(dataDir, { recursive: true, force: true });
      if (pageErrors.length > 0) {
        throw new Error(`The app logged errors in the browser:\n${pageErrors.slice(0, 10).join('\n')}`);
      }
    },
  };
}
