import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('core_audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('core_audit_log_at').on('core_audit_log').column('at').execute();
  await db.schema
    .createIndex('core_audit_log_entity')
    .on('core_audit_log')
    .columns(['entity', 'entity_id', 'at'])
    .execute();
  await db.schema
    .createIndex('core_audit_log_actor')
    .on('core_audit_log')
    .columns(['actor_id', 'at'])
    .execute();

  await db.schema
    .createTable('core_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('aggregate_type', 'text', (c) => c.notNull())
    .addColumn('aggregate_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('core_event_deliveries')
    .addColumn('event_id', 'bigint', (c) => c.notNull().references('core_events.id').onDelete('cascade'))
    .addColumn('subscriber', 'text', (c) => c.notNull())
    .addColumn('aggregate_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'done', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addPrimaryKeyConstraint('core_event_deliveries_pk', ['subscriber', 'event_id'])
    .execute();
  // The dispatcher looks only at pending deliveries, oldest first, per subscriber and aggregate.
  await sql`create index core_event_deliveries_pending on core_event_deliveries
    (subscriber, aggregate_key, event_id) where status = 'pending'`.execute(db);
  await sql`create index core_event_deliveries_due on core_event_deliveries
    (next_attempt_at, event_id) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('core_event_deliveries').execute();
  await db.schema.dropTable('core_events').execute();
  await db.schema.dropTable('core_audit_log').execute();
}
