// Runs a describe block once per backend against a whole suite (all modules, real HTTP
// through inject) on a fresh database, with helpers to sign in as users of given roles.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe } from 'vitest';
import type { AnyDb, Backend } from '../../db/database.js';
import { installedModules } from '../../modules/index.js';
import { ensureFirstAdmin } from '../accounts/bootstrap.js';
import type { ModuleDefinition } from '../core/module.js';
import { createSuite, type Suite } from '../suite.js';
import { createTestDatabase, type TestDatabase, testBackends } from './test-db.js';

export type TestResponse<T = unknown> = { status: number; body: T; headers: Record<string, unknown> };

export type RequestOptions = {
  body?: unknown;
  cookie?: string;
  token?: string;
  headers?: Record<string, string>;
};

export type TestUser = { id: string; email: string; password: string; cookie: string };

export type TestSuite = {
  backend: Backend;
  db: AnyDb;
  suite: Suite;
  admin: TestUser;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  request<T = any>(method: string, url: string, options?: RequestOptions): Promise<TestResponse<T>>;
  /** Signs in and returns the session cookie. */
  login(email: string, password: string): Promise<string>;
  /** Creates a user with the given roles (through the admin API) and signs them in. */
  createUser(roles: string[], fields?: { name?: string; email?: string; locale?: string }): Promise<TestUser>;
};

export type SuiteOptions = { modules?: ModuleDefinition[]; dispatcherPollMs?: number };

const ADMIN_PASSWORD = 'admin-password-1';

async function startTestSuite(
  backend: Backend,
  options: SuiteOptions,
): Promise<{ t: TestSuite; database: TestDatabase }> {
  const database = await createTestDatabase(backend);
  const suite = await createSuite({
    db: database.db,
    modules: [...installedModules, ...(options.modules ?? [])],
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    dispatcherPollMs: options.dispatcherPollMs ?? 50,
  });
  const adminEmail = `admin-${randomBytes(3).toString('hex')}@test.uz`;
  await ensureFirstAdmin(database.db, { email: adminEmail, password: ADMIN_PASSWORD, name: 'Test Admin' });

  const request: TestSuite['request'] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const response = await suite.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(opts.body !== undefined && { payload: opts.body as object }),
    });
    const type = String(response.headers['content-type'] ?? '');
    return {
      status: response.statusCode,
      body: type.includes('json') && response.body ? JSON.parse(response.body) : response.body,
      headers: response.headers,
    };
  };

  const login = async (email: string, password: string) => {
    const response = await suite.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password },
    });
    if (response.statusCode !== 200)
      throw new Error(`login ${email} failed: ${response.statusCode} ${response.body}`);
    const cookie = response.cookies.find((c) => c.name === 'sid');
    if (!cookie) throw new Error('login set no session cookie');
    return `sid=${cookie.value}`;
  };

  const adminCookie = await login(adminEmail, ADMIN_PASSWORD);
  const me = await request('GET', '/api/auth/me', { cookie: adminCookie });

  const t: TestSuite = {
    backend,
    db: database.db,
    suite,
    admin: { id: me.body.user.id, email: adminEmail, password: ADMIN_PASSWORD, cookie: adminCookie },
    request,
    login,
    async createUser(roles, fields = {}) {
      const email = fields.email ?? `user-${randomBytes(4).toString('hex')}@test.uz`;
      const password = `pw-${randomBytes(6).toString('hex')}`;
      const created = await request('POST', '/api/admin/users', {
        cookie: adminCookie,
        body: { email, name: fields.name ?? email.split('@')[0], password, roles, locale: fields.locale },
      });
      if (created.status !== 201)
        throw new Error(`createUser failed: ${created.status} ${JSON.stringify(created.body)}`);
      return { id: created.body.id, email, password, cookie: await login(email, password) };
    },
  };
  return { t, database };
}

/**
 * Declares a describe block per backend; the returned object is filled before the tests run.
 * @example describeEachBackend('users', (t) => { it('lists', async () => { await t().request('GET', '/api/admin/users', { cookie: t().admin.cookie }) }) })
 */
export function describeEachBackend(
  name: string,
  body: (t: () => TestSuite) => void,
  options: SuiteOptions = {},
): void {
  describe.each(testBackends())(`${name} [%s]`, (backend) => {
    let started: { t: TestSuite; database: TestDatabase } | undefined;
    beforeAll(async () => {
      started = await startTestSuite(backend, options);
    });
    afterAll(async () => {
      if (!started) return;
      await started.t.suite.close();
      await started.database.close();
    });
    body(() => {
      if (!started) throw new Error('the test suite is not started yet');
      return started.t;
    });
  });
}
