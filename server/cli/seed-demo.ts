// `npm run seed:demo`: fills the suite with believable demo data: the demo company's staff
// here, then each module's own part (clients and deals, stock, employees, processes).
// Running it again adds nothing twice.
import pino from 'pino';
import { installedModules } from '../../modules/index.js';
import { ensureFirstAdmin } from '../accounts/bootstrap.js';
import { loadConfig } from '../config.js';
import { createSuite } from '../suite.js';
import { seedDemoData } from './demo-seeding.js';
import { DEMO_PASSWORD, DEMO_STAFF } from './demo-staff.js';
import { firstAdminNotice } from './first-admin-notice.js';
import { openConfiguredDatabase } from './open-configured-database.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const database = await openConfiguredDatabase(config);
  try {
    const suite = await createSuite({ db: database.db, modules: installedModules, log });
    // Seeding a database that was never started must not leave it without an administrator.
    const admin = await ensureFirstAdmin(database.db, {
      email: config.adminEmail,
      password: config.adminPassword,
    });
    if (admin) for (const line of firstAdminNotice(admin, `http://localhost:${config.port}`)) say(line);
    await seedDemoData(suite, database.db, say);
    await suite.close();
    say('');
    say(`Demo data is ready. Every demo account signs in with the password ${DEMO_PASSWORD}, e.g.:`);
    for (const person of DEMO_STAFF.slice(0, 5))
      say(`  ${person.email.padEnd(28)} ${person.roles.join(', ')}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
