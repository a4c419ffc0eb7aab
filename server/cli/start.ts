// `npm start`: build the web app if stale, open the database (PGlite under DATA_DIR, or
// PostgreSQL at DATABASE_URL), migrate, create the first admin, serve, shut down cleanly.
import { join } from 'node:path';
import pino from 'pino';
import { installShippedWorkflows, systemCaller } from '../../modules/bpm/shipped-workflows.js';
import { installedModules } from '../../modules/index.js';
import { ensureFirstAdmin } from '../accounts/bootstrap.js';
import { loadConfig } from '../config.js';
import { projectRoot } from '../project-root.js';
import { createSuite } from '../suite.js';
import { firstAdminNotice } from './first-admin-notice.js';
import { openConfiguredDatabase } from './open-configured-database.js';
import { buildWeb, webBuildIsStale } from './web-build.js';

const root = projectRoot();

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const say = (line: string) => process.stdout.write(`${line}\n`);

  if (process.env.SKIP_WEB_BUILD !== 'true' && webBuildIsStale(root)) await buildWeb(root, say);

  const database = await openConfiguredDatabase(config);
  say(
    config.databaseUrl
      ? 'Database: PostgreSQL (DATABASE_URL).'
      : `Database: embedded PGlite in ${config.dataDir}. Set DATABASE_URL to use PostgreSQL.`,
  );

  const suite = await createSuite({
    db: database.db,
    modules: installedModules,
    log,
    webDist: join(root, 'web', 'dist'),
    trustProxy: config.trustProxy,
  });
  const admin = await ensureFirstAdmin(database.db, {
    email: config.adminEmail,
    password: config.adminPassword,
  });
  if (installedModules.some((m) => m.name === 'bpm')) {
    const shipped = await installShippedWorkflows(systemCaller(suite.registry), join(root, 'workflows'));
    if (shipped.installed.length > 0)
      say(`Processes deployed from workflows/: ${shipped.installed.join(', ')}.`);
    if (shipped.updated.length > 0)
      say(
        `Processes updated from workflows/ (new versions; running instances keep theirs): ${shipped.updated.join(', ')}.`,
      );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing those in flight');
    const force = setTimeout(() => {
      log.error('shutdown took over 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    try {
      await suite.close();
      await database.close();
      log.info('shut down cleanly');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await suite.app.listen({ port: config.port, host: config.host });
  suite.startBackground();
  const address = suite.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  say(`OneBox suite is running at ${url} (API docs: ${url}/api/docs)`);
  if (admin) {
    for (const line of firstAdminNotice(admin, url)) say(line);
    say('');
    say('Want a living system to explore? Stop the server and run `npm run seed:demo`');
    say('to fill every module with demo data (Uzbek companies, deals, stock, staff).');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
