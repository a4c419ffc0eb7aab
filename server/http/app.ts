// The Fastify application: loads the modules' routes under /api/<module>, resolves the
// acting user, enforces each route's permission, and serves OpenAPI, health and the web app.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { actorFromApiToken, actorFromSession } from '../accounts/resolve-actor.js';
import { createSessionCache } from '../accounts/session-cache.js';
import { SESSION_COOKIE, setSessionCookie } from '../accounts/tokens.js';
import { AppError, forbidden } from '../core/errors.js';
import { DEFAULT_LOCALE, localeFromHeader } from '../core/locale.js';
import type { Translator } from '../core/messages.js';
import { ANONYMOUS_ACTOR, can, type ModuleDefinition } from '../core/module.js';
import type { Registry } from '../core/registry.js';
import type { CoreTables } from '../core/schema.js';
import { errorBody, installErrorHandling } from './error-handler.js';
import './types.js';

export type AppOptions = {
  db: Kysely<CoreTables>;
  registry: Registry;
  modules: readonly ModuleDefinition[];
  translate: Translator;
  log: Logger;
  /** Built web app to serve at /, when present. */
  webDist?: string;
  /** Whether the database is migrated and the suite ready (for /readyz). */
  isReady?: () => boolean;
  trustProxy?: boolean;
  version?: string;
  /** How long a resolved session is reused (ms); 0 turns the cache off. */
  sessionCacheMs?: number;
};

const REQUEST_ID = /^[\w.:-]{1,100}$/;

export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const { db, registry, translate } = options;
  // Typed as the default instance so module route plugins share one FastifyInstance type.
  const app = Fastify({
    loggerInstance: options.log,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }) as unknown as FastifyInstance;

  // Input is validated by the action registry (one path for HTTP and processes alike), so
  // Fastify neither validates nor re-serializes: schemas here serve OpenAPI.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.decorate('registry', registry);
  app.decorate('apiRoutes', []);
  // Fastify forbids object defaults on requests; every request gets its actor in onRequest.
  app.decorateRequest('actor', null as never);
  app.decorateRequest('locale', DEFAULT_LOCALE);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('sessionRenewed', false);
  app.decorate('translate', translate);
  // JSON only: a text/plain body is refused with 415 rather than parsed as a string.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('callAction', async () => {
    throw new Error('callAction is set per request');
  });

  await app.register(fastifyCookie);
  // A list page of 50 clients is 33 KB of JSON and 6 KB compressed: on a phone in the regions
  // that is most of the wait. Answers under 2 KB (a posting's, a lookup's) go as they are, so
  // the hot paths pay nothing. Only the API: the web build's files were compressed when built
  // (preCompressed), and the few too small for that are not worth it. Request bodies are never
  // inflated: a small compressed body must not become a large one to parse.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) route.compress = false;
  });
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: 2048,
    globalDecompression: false,
  });
  installErrorHandling(app, translate);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const permission = route.config?.permission;
    if (route.url.startsWith('/api/docs')) return; // Swagger UI's own static routes are public.
    if (!permission) {
      throw new Error(`Route ${route.method} ${route.url} declares no permission (config.permission)`);
    }
    if (permission !== 'public' && permission !== 'authenticated' && !isKnownPermission(permission)) {
      throw new Error(`Route ${route.method} ${route.url} needs unknown permission ${permission}`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.apiRoutes.push({ method, url: route.url, permission });
    }
  });

  const known = new Set(options.modules.flatMap((m) => m.permissions.map((p) => p.code)));
  function isKnownPermission(code: string): boolean {
    return known.has(code);
  }

  const sessions = createSessionCache(options.sessionCacheMs);
  app.addHook('onRequest', async (req) => {
    req.actor = ANONYMOUS_ACTOR;
    req.locale = localeFromHeader(req.headers['accept-language']) ?? DEFAULT_LOCALE;
    const started = performance.now();
    (req as { startedAt?: number }).startedAt = started;
    if (!req.url.startsWith('/api')) return;
    const authorization = req.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const actor = await actorFromApiToken(db, authorization.slice(7).trim());
      if (!actor) throw new AppError(401, 'UNAUTHENTICATED');
      req.actor = actor;
    } else {
      const token = req.cookies[SESSION_COOKIE];
      if (token) {
        const session = await actorFromSession(db, token, sessions);
        if (session) {
          req.actor = session.actor;
          req.sessionToken = token;
          req.sessionRenewed = session.renewed;
        }
      }
    }
    if (req.actor.kind === 'user') req.locale = req.actor.locale;
    req.callAction = (name, input, extra) =>
      registry.call(name, input, {
        actor: req.actor,
        locale: req.locale,
        requestId: req.id,
        log: req.log,
        idempotencyKey: extra?.idempotencyKey,
      });
  });

  app.addHook('preHandler', async (req) => {
    if (!req.url.startsWith('/api') || req.url.startsWith('/api/docs')) return;
    const permission = req.routeOptions.config.permission;
    if (!permission || permission === 'public') return;
    if (req.actor.kind === 'anonymous') throw new AppError(401, 'UNAUTHENTICATED');
    if (!can(req.actor, permission)) throw forbidden(permission);
  });

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (req.sessionRenewed && req.sessionToken && !reply.hasHeader('set-cookie')) {
      setSessionCookie(reply, req.sessionToken, req.protocol === 'https');
    }
    if (req.url.startsWith('/api')) reply.header('cache-control', 'no-store');
  });

  app.addHook('onResponse', async (req, reply) => {
    const startedAt = (req as { startedAt?: number }).startedAt ?? performance.now();
    req.log.info(
      {
        method: req.method,
        url: req.url,
        status: reply.statusCode,
        userId: req.actor.id,
        ms: Math.round((performance.now() - startedAt) * 10) / 10,
      },
      'request',
    );
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OneBox suite API',
        version: options.version ?? '0.1.0',
        description:
          'CRM, ERP and BPM in one API. Sign in with POST /api/auth/login (session cookie) or send ' +
          '`Authorization: Bearer <token>` with a token from POST /api/auth/tokens. Errors answer ' +
          '`{ error: { code, message, details } }`; lists answer `{ items, total }`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.get(
    '/api/openapi.json',
    { config: { permission: 'public' }, schema: { hide: true } as object },
    async () => app.swagger(),
  );

  app.get('/healthz', { config: { permission: 'public' }, schema: { hide: true } as object }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { config: { permission: 'public' }, schema: { hide: true } as object },
    async (_req, reply) => {
      try {
        await sql`select 1`.execute(db);
      } catch {
        return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
      }
      if (options.isReady && !options.isReady()) {
        return reply.code(503).send({ status: 'starting', database: 'ok' });
      }
      return { status: 'ready', database: 'ok' };
    },
  );

  for (const module of options.modules) {
    if (!module.routes) continue;
    const routes = module.routes;
    await app.register(async (scope) => routes(scope), { prefix: `/api/${module.name}` });
  }

  const webDist = options.webDist;
  const hasWeb = webDist !== undefined && existsSync(`${webDist}/index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      // Files are looked up per request, so a web build made while the server runs is served.
      wildcard: true,
      index: 'index.html',
      // The build writes .br and .gz copies (scripts/vite-precompress.ts): the copy the browser
      // accepts is sent, with Vary: Accept-Encoding; the file itself when there is none.
      preCompressed: true,
      setHeaders(res, path) {
        // Built assets carry a content hash in their names: cache them for good.
        res.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const isApi = req.url.startsWith('/api');
    // A missing script or asset must be a 404, not the app's page (a blank page with a MIME error).
    const isFile = req.url.startsWith('/assets/') || /\.[a-z0-9]+(\?|$)/i.test(req.url);
    if (!isApi && !isFile && hasWeb && (req.method === 'GET' || req.method === 'HEAD')) {
      // The web app routes on the client: every other page path gets its shell.
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    }
    return reply
      .code(404)
      .send(errorBody(new AppError(404, 'NOT_FOUND', { params: { entity: 'route' } }), translate, req));
  });

  return app;
}
