// Puts the suite together on an open database: migrations, permissions, the action
// registry, the events dispatcher and the HTTP app. The CLI and the tests both use it.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AnyDb } from '../db/database.js';
import { type MigrationSet, migrateAll } from '../db/migrator.js';
import { adminModule } from './accounts/admin-module.js';
import { authModule } from './accounts/auth-module.js';
import { syncPermissions } from './accounts/bootstrap.js';
import { startMaintenance } from './core/maintenance.js';
import { coreMessages, createTranslator } from './core/messages.js';
import { coreMigrations } from './core/migrations/index.js';
import { type ModuleDefinition, SYSTEM_ACTOR } from './core/module.js';
import { createDispatcher, type Dispatcher } from './core/outbox.js';
import { createRegistry, type Registry } from './core/registry.js';
import type { CoreTables } from './core/schema.js';
import { createApp } from './http/app.js';

/** The modules every suite has, before the business modules. */
export const CORE_MODULES: ModuleDefinition[] = [authModule, adminModule];

export function migrationSets(modules: readonly ModuleDefinition[]): MigrationSet[] {
  return [
    { name: 'core', migrations: coreMigrations },
    ...[...CORE_MODULES, ...modules].map((m) => ({
      name: m.name,
      migrations: m.migrations,
      dependsOn: ['core', ...(m.dependsOn ?? [])],
    })),
  ];
}

export type Suite = {
  app: FastifyInstance;
  registry: Registry;
  dispatcher: Dispatcher;
  modules: readonly ModuleDefinition[];
  /** Starts the work that runs beside requests: event delivery and housekeeping. */
  startBackground(): void;
  /** Stops the HTTP server and the background work; the caller closes the database. */
  close(): Promise<void>;
};

export async function createSuite(options: {
  db: AnyDb;
  modules: readonly ModuleDefinition[];
  log: Logger;
  webDist?: string;
  trustProxy?: boolean;
  /** Skip when the database is already migrated (test snapshots). */
  migrate?: boolean;
  dispatcherPollMs?: number;
}): Promise<Suite> {
  const db: Kysely<CoreTables> = options.db;
  const modules = [...CORE_MODULES, ...options.modules];
  if (options.migrate !== false) await migrateAll(options.db, migrationSets(options.modules));
  await syncPermissions(db, modules);
  const translate = createTranslator([
    coreMessages,
    ...modules.flatMap((m) => (m.messages ? [m.messages] : [])),
  ]);
  const registry = createRegistry({ db, modules, translate, log: options.log });
  const dispatcher = createDispatcher({
    db,
    subscribers: registry.subscribers,
    log: options.log,
    pollMs: options.dispatcherPollMs,
    deliver: (trx, subscriber, event) =>
      registry.withContext(
        { actor: SYSTEM_ACTOR, trx, module: subscriber.name.split('.')[0] ?? 'core' },
        (ctx) => subscriber.handle({ ...ctx, eventId: event.id }, event),
      ),
  });
  registry.onEventsCommitted(() => dispatcher.kick());
  const app = await createApp({
    db,
    registry,
    modules,
    translate,
    log: options.log,
    webDist: options.webDist,
    trustProxy: options.trustProxy,
    isReady: () => true,
  });
  await app.ready();
  let stopMaintenance: (() => void) | undefined;
  let stopModules: (() => Promise<void> | void)[] = [];
  return {
    app,
    registry,
    dispatcher,
    modules,
    startBackground() {
      dispatcher.start();
      stopMaintenance ??= startMaintenance(db, options.log);
      if (stopModules.length === 0) {
        stopModules = modules.flatMap((m) =>
          m.background ? [m.background({ registry, log: options.log })] : [],
        );
      }
    },
    async close() {
      stopMaintenance?.();
      // Background work stops before the database closes (the caller closes it after us).
      await Promise.all(stopModules.map((stop) => stop()));
      // Node closes idle keep-alive connections only when close() starts; a connection whose
      // request finishes later would hold the shutdown until its keep-alive timeout.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      await dispatcher.stop();
    },
  };
}
