import { type Kysely, sql } from 'kysely';

/**
 * Start events beyond "none": timer-start jobs belong to a definition, not an instance; cycles
 * count their repetitions; message and signal starts of each definition are looked up by name;
 * an instance remembers the message key or module event that started it (Zeebe's one active
 * instance per message key, and one instance per event under at-least-once delivery).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table bpm_jobs alter column instance_id drop not null`.execute(db);
  await sql`alter table bpm_jobs alter column element_instance_id drop not null`.execute(db);
  await sql`alter table bpm_jobs drop constraint bpm_jobs_kind_check`.execute(db);
  await db.schema
    .alterTable('bpm_jobs')
    .addColumn('definition_id', 'uuid', (c) => c.references('bpm_definitions.id'))
    .addColumn('repeats_left', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`alter table bpm_jobs add constraint bpm_jobs_kind_check check (kind in ('timer', 'retry', 'start'))`.execute(
    db,
  );
  await sql`alter table bpm_jobs add constraint bpm_jobs_owner_check check ((kind = 'start') = (instance_id is null) and (kind = 'start') = (definition_id is not null))`.execute(
    db,
  );
  await db.schema.createIndex('bpm_jobs_definition').on('bpm_jobs').column('definition_id').execute();

  await db.schema
    .createTable('bpm_start_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('bpm_definitions.id'))
    .addColumn('process_id', 'text', (c) => c.notNull())
    .addColumn('element_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('message', 'signal')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('bpm_start_events_name')
    .on('bpm_start_events')
    .columns(['kind', 'name'])
    .execute();

  await db.schema
    .alterTable('bpm_instances')
    .addColumn('start_message_key', 'text')
    .addColumn('start_event_id', 'bigint')
    .execute();
  await sql`create index bpm_instances_message_key on bpm_instances (process_id, start_message_key) where start_message_key is not null and state in ('active', 'failed')`.execute(
    db,
  );
  await sql`create unique index bpm_instances_start_event on bpm_instances (process_id, start_event_id) where start_event_id is not null`.execute(
    db,
  );
}
