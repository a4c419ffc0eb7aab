import { type Kysely, sql } from 'kysely';

/** Signal catches wait in the same table as message catches, told apart by kind (no key). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('bpm_message_subscriptions')
    .addColumn('kind', 'text', (c) =>
      c.notNull().defaultTo('message').check(sql`kind in ('message', 'signal')`),
    )
    .execute();
  await db.schema
    .createIndex('bpm_message_subscriptions_signal')
    .on('bpm_message_subscriptions')
    .columns(['kind', 'message_name'])
    .execute();
}
