import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('core_users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('uz').check(sql`locale in ('uz', 'ru', 'en')`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_login_at', 'timestamptz')
    .execute();
  // E-mails are unique whatever their case: Ali@x.uz and ali@x.uz are one person.
  await sql`create unique index core_users_email_key on core_users (lower(email))`.execute(db);

  await db.schema
    .createTable('core_roles')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('builtin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('core_permissions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('module', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('core_role_permissions')
    .addColumn('role_code', 'text', (c) => c.notNull().references('core_roles.code').onDelete('cascade'))
    .addColumn('permission_code', 'text', (c) =>
      c.notNull().references('core_permissions.code').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('core_role_permissions_pk', ['role_code', 'permission_code'])
    .execute();
  await db.schema
    .createTable('core_user_roles')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('core_users.id').onDelete('cascade'))
    .addColumn('role_code', 'text', (c) => c.notNull().references('core_roles.code').onDelete('cascade'))
    .addPrimaryKeyConstraint('core_user_roles_pk', ['user_id', 'role_code'])
    .execute();
  await db.schema.createIndex('core_user_roles_role').on('core_user_roles').column('role_code').execute();

  await db.schema
    .createTable('core_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('core_users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('core_sessions_user').on('core_sessions').column('user_id').execute();
  await db.schema.createIndex('core_sessions_expires').on('core_sessions').column('expires_at').execute();

  await db.schema
    .createTable('core_api_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('core_users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('core_api_tokens_user').on('core_api_tokens').column('user_id').execute();

  await db.schema
    .createTable('core_login_attempts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('core_login_attempts_key_at')
    .on('core_login_attempts')
    .columns(['key', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'core_login_attempts',
    'core_api_tokens',
    'core_sessions',
    'core_user_roles',
    'core_role_permissions',
    'core_permissions',
    'core_roles',
    'core_users',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
