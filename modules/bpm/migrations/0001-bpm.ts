import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bpm_definitions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('process_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('name', 'text')
    .addColumn('xml', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('deployed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deployed_by', 'uuid')
    .addUniqueConstraint('bpm_definitions_process_version', ['process_id', 'version'])
    .execute();

  await db.schema
    .createTable('bpm_forms')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('form_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('schema', 'jsonb', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('deployed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('bpm_forms_form_version', ['form_id', 'version'])
    .execute();

  await db.schema
    .createTable('bpm_instances')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('bpm_definitions.id'))
    .addColumn('process_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('business_key', 'text')
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('active', 'completed', 'cancelled', 'failed')`),
    )
    .addColumn('variables', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('started_by', 'uuid')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('bpm_instances_process')
    .on('bpm_instances')
    .columns(['process_id', 'state'])
    .execute();
  await db.schema
    .createIndex('bpm_instances_business_key')
    .on('bpm_instances')
    .column('business_key')
    .execute();

  await db.schema
    .createTable('bpm_element_instances')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('instance_id', 'uuid', (c) => c.notNull().references('bpm_instances.id'))
    .addColumn('scope_id', 'uuid')
    .addColumn('element_id', 'text', (c) => c.notNull())
    .addColumn('element_type', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('active', 'waiting', 'completed', 'terminated')`),
    )
    .addColumn('flow_id', 'text')
    .addColumn('variables', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('seq', 'bigserial', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('actor_id', 'uuid')
    .execute();
  await db.schema
    .createIndex('bpm_element_instances_instance')
    .on('bpm_element_instances')
    .columns(['instance_id', 'seq'])
    .execute();
  await sql`create index bpm_element_instances_live on bpm_element_instances (instance_id) where state in ('active', 'waiting')`.execute(
    db,
  );

  await db.schema
    .createTable('bpm_user_tasks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('instance_id', 'uuid', (c) => c.notNull().references('bpm_instances.id'))
    .addColumn('element_instance_id', 'uuid', (c) => c.notNull())
    .addColumn('element_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('assignee', 'text')
    .addColumn('candidate_groups', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('candidate_users', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('form_id', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'completed', 'cancelled')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addColumn('completed_by', 'uuid')
    .execute();
  await sql`create index bpm_user_tasks_open on bpm_user_tasks (assignee) where state = 'open'`.execute(db);
  await db.schema.createIndex('bpm_user_tasks_instance').on('bpm_user_tasks').column('instance_id').execute();

  await db.schema
    .createTable('bpm_jobs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('instance_id', 'uuid', (c) => c.notNull().references('bpm_instances.id'))
    .addColumn('element_instance_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('timer', 'retry')`))
    .addColumn('element_id', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('bpm_jobs_due').on('bpm_jobs').column('due_at').execute();
  await db.schema.createIndex('bpm_jobs_element').on('bpm_jobs').column('element_instance_id').execute();

  await db.schema
    .createTable('bpm_incidents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('instance_id', 'uuid', (c) => c.notNull().references('bpm_instances.id'))
    .addColumn('element_instance_id', 'uuid', (c) => c.notNull())
    .addColumn('element_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'resolved')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'uuid')
    .execute();
  await db.schema.createIndex('bpm_incidents_instance').on('bpm_incidents').column('instance_id').execute();

  await db.schema
    .createTable('bpm_message_subscriptions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('instance_id', 'uuid', (c) => c.notNull().references('bpm_instances.id'))
    .addColumn('element_instance_id', 'uuid', (c) => c.notNull())
    .addColumn('message_name', 'text', (c) => c.notNull())
    .addColumn('correlation_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('bpm_message_subscriptions_key')
    .on('bpm_message_subscriptions')
    .columns(['message_name', 'correlation_key'])
    .execute();
}
