import { type Kysely, sql } from 'kysely';

/** The element that catches the message: the catch itself, a boundary, or an event-based gateway's target. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('bpm_message_subscriptions').addColumn('element_id', 'text').execute();
  await sql`update bpm_message_subscriptions s set element_id = e.element_id from bpm_element_instances e where e.id = s.element_instance_id`.execute(
    db,
  );
  await db.schema
    .alterTable('bpm_message_subscriptions')
    .alterColumn('element_id', (c) => c.setNotNull())
    .execute();
}
