import { type Kysely, sql } from 'kysely';

/**
 * Tasks keep the form version current when they were created and the users their HR department
 * groups stood for then; forms record who deployed them; indexes for the inbox and visibility.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('bpm_user_tasks')
    .addColumn('form_version', 'integer')
    .addColumn('candidate_group_users', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema.alterTable('bpm_forms').addColumn('deployed_by', 'uuid').execute();
  await db.schema.createIndex('bpm_instances_started_by').on('bpm_instances').column('started_by').execute();
  await sql`create index bpm_incidents_open on bpm_incidents (instance_id, element_id) where state = 'open'`.execute(
    db,
  );
}
