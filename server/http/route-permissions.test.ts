// Walks every registered /api route: without a session it must answer 401, and for a user
// without roles 403, unless the route is deliberately public or open to any signed-in user.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coreMessages, createTranslator } from '../core/messages.js';
import { actionsOf, defineModule } from '../core/module.js';
import { createRegistry } from '../core/registry.js';
import type { CoreTables } from '../core/schema.js';
import { createTestDatabase } from '../testing/test-db.js';
import { describeEachBackend } from '../testing/test-suite.js';
import { createApp } from './app.js';

// Public on purpose: signing in, and the API description. Adding to this list is a decision.
// The lead form is public on purpose: rate-limited and bot-guarded (modules/intake).
const PUBLIC_ROUTES = ['POST /api/auth/login', 'GET /api/openapi.json', 'POST /api/intake/lead-form'];

const fill = (url: string) => url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');

describeEachBackend('every /api route is protected', (t) => {
  it('declares a permission on every route, and only the listed ones are public', () => {
    const routes = t().suite.app.apiRoutes;
    expect(routes.length).toBeGreaterThan(10);
    const publicRoutes = routes.filter((r) => r.permission === 'public').map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('answers 401 without a session on every non-public route', async () => {
    const failures: string[] = [];
    for (const route of t().suite.app.apiRoutes) {
      if (route.permission === 'public') continue;
      const response = await t().request(route.method, fill(route.url), {
        body: route.method === 'GET' ? undefined : {},
      });
      if (response.status !== 401 || response.body?.error?.code !== 'UNAUTHENTICATED') {
        failures.push(`${route.method} ${route.url} -> ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 to a signed-in user without the permission', async () => {
    const nobody = await t().createUser([]);
    const failures: string[] = [];
    for (const route of t().suite.app.apiRoutes) {
      if (route.permission === 'public' || route.permission === 'authenticated') continue;
      const response = await t().request(route.method, fill(route.url), {
        cookie: nobody.cookie,
        body: route.method === 'GET' ? undefined : {},
      });
      if (response.status !== 403 || response.body?.error?.code !== 'FORBIDDEN') {
        failures.push(`${route.method} ${route.url} -> ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a bad or revoked Bearer token with 401', async () => {
    const bad = await t().request('GET', '/api/auth/me', { token: 'obx_not-a-real-token' });
    expect(bad.status).toBe(401);
  });
});

describe('a route without a permission', () => {
  it('fails at boot, naming the route', async () => {
    const handle = await createTestDatabase('pglite');
    try {
      const defineAction = actionsOf<CoreTables>();
      const ping = defineAction({
        name: 'ping',
        description: 'test',
        permission: 'authenticated',
        write: false,
        input: z.object({}),
        output: z.object({}),
        run: async () => ({}),
      });
      const careless = defineModule({
        name: 'careless',
        migrations: {},
        permissions: [],
        actions: [ping],
        routes(app) {
          app.get('/open', async () => ({ ok: true }));
        },
      });
      const log = pino({ level: 'silent' });
      const translate = createTranslator([coreMessages]);
      const registry = createRegistry({ db: handle.db, modules: [careless], translate, log });
      await expect(
        createApp({ db: handle.db, registry, modules: [careless], translate, log }),
      ).rejects.toThrow(/GET \/api\/careless\/open declares no permission/);
    } finally {
      await handle.close();
    }
  });
});
