// Fills a suite with the demo company: its staff, then each module's own demo data, in
// module order, then the staff's work on what that started. Idempotent: a second run adds
// nothing twice.
import type { Kysely } from 'kysely';
import { actorByEmail } from '../accounts/resolve-actor.js';
import { SYSTEM_ACTOR } from '../core/module.js';
import type { CoreTables } from '../core/schema.js';
import type { Suite } from '../suite.js';
import { DEMO_PASSWORD, DEMO_STAFF } from './demo-staff.js';

export async function seedDemoData(
  suite: Suite,
  db: Kysely<CoreTables>,
  say: (line: string) => void,
): Promise<void> {
  let created = 0;
  for (const person of DEMO_STAFF) {
    const exists = await db
      .selectFrom('core_users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', person.email))
      .executeTakeFirst();
    if (exists) continue;
    await suite.registry.call(
      'admin.createUser',
      { ...person, roles: [...person.roles], password: DEMO_PASSWORD },
      { actor: SYSTEM_ACTOR },
    );
    created++;
  }
  say(`Staff: ${created} demo accounts created (${DEMO_STAFF.length - created} were there).`);
  for (const module of suite.modules) {
    if (!module.seedDemo) continue;
    const seed = module.seedDemo;
    say(`Seeding ${module.name}...`);
    await suite.registry.withContext({ actor: SYSTEM_ACTOR, module: module.name }, (ctx) => seed(ctx));
  }
  await suite.dispatcher.drain();
  for (const module of suite.modules) {
    if (!module.seedDemoWork) continue;
    say(`Demo staff at work in ${module.name}...`);
    await module.seedDemoWork({
      async as(email, work) {
        const actor = await actorByEmail(db, email);
        if (!actor) return undefined;
        return suite.registry.withContext({ actor, module: module.name }, work);
      },
    });
    await suite.dispatcher.drain();
  }
}
