// `npm run seed:large`: 1,000,000 clients and 3,000,000 activities (CRM_CLIENTS changes the
// count) in the configured database: PostgreSQL at DATABASE_URL, else the embedded one in
// DATA_DIR. Generated in SQL in batches with progress lines; a second run resumes or adds nothing.
import pino from 'pino';
import { openConfiguredDatabase } from '../../../server/cli/open-configured-database.js';
import { loadConfig } from '../../../server/config.js';
import { createSuite } from '../../../server/suite.js';
import { installedModules } from '../../index.js';
import { generateLargeData } from './large-data.js';

const config = loadConfig();
const clients = Number(process.env.CRM_CLIENTS ?? 1_000_000);
const database = await openConfiguredDatabase(config);
try {
  // Creating the suite applies every module's migrations.
  const suite = await createSuite({
    db: database.db,
    modules: installedModules,
    log: pino({ level: 'warn' }),
  });
  await suite.close();
  const managers = await database.db
    .selectFrom('core_user_roles')
    .select('user_id')
    .where('role_code', '=', 'sales_manager')
    .execute();
  await generateLargeData(database.db, {
    clients,
    ownerIds: managers.map((m) => m.user_id),
    say: (line) => process.stdout.write(`${line}\n`),
  });
} finally {
  await database.close();
}
