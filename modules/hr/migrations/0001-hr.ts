import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hr_departments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'uuid', (c) => c.references('hr_departments.id'))
    .addColumn('head_employee_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('hr_departments_not_own_parent', sql`parent_id is distinct from id`)
    .execute();
  await sql`create unique index hr_departments_code_key on hr_departments (lower(code))`.execute(db);
  await db.schema.createIndex('hr_departments_parent').on('hr_departments').column('parent_id').execute();

  await db.schema
    .createTable('hr_positions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index hr_positions_name_key on hr_positions (lower(name))`.execute(db);

  await db.schema
    .createTable('hr_employees')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('middle_name', 'text')
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('hr_departments.id'))
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'uuid', (c) => c.references('hr_employees.id'))
    // A core user's id; the core's tables are not ours to reference, so no foreign key.
    .addColumn('user_id', 'uuid')
    .addColumn('hire_date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'on_leave', 'dismissed')`),
    )
    .addColumn('dismissal_date', 'date')
    .addColumn('work_phone', 'text')
    .addColumn('work_email', 'text')
    .addColumn('birth_date', 'date')
    .addColumn('passport', 'text')
    .addColumn('pinfl', 'text')
    .addColumn('address', 'text')
    .addColumn('salary', sql`numeric(18,2)`, (c) => c.check(sql`salary >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('hr_employees_not_own_manager', sql`manager_id is distinct from id`)
    .addCheckConstraint('hr_employees_dismissal', sql`(status = 'dismissed') = (dismissal_date is not null)`)
    .execute();
  await sql`create unique index hr_employees_user_key on hr_employees (user_id) where user_id is not null`.execute(
    db,
  );
  await sql`create unique index hr_employees_pinfl_key on hr_employees (pinfl) where pinfl is not null`.execute(
    db,
  );
  await db.schema.createIndex('hr_employees_department').on('hr_employees').column('department_id').execute();
  await db.schema.createIndex('hr_employees_manager').on('hr_employees').column('manager_id').execute();
  await db.schema
    .createIndex('hr_employees_name')
    .on('hr_employees')
    .columns(['last_name', 'first_name'])
    .execute();

  await db.schema
    .alterTable('hr_departments')
    .addForeignKeyConstraint('hr_departments_head', ['head_employee_id'], 'hr_employees', ['id'])
    .execute();

  await db.schema
    .createTable('hr_employee_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('employee_id', 'uuid', (c) => c.notNull().references('hr_employees.id'))
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('hired', 'transfer', 'salary_change', 'dismissal')`),
    )
    .addColumn('effective_date', 'date', (c) => c.notNull())
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('hr_departments.id'))
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('salary', sql`numeric(18,2)`)
    .addColumn('note', 'text')
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await db.schema
    .createIndex('hr_employee_events_employee')
    .on('hr_employee_events')
    .columns(['employee_id', 'effective_date', 'created_at'])
    .execute();

  await db.schema
    .createTable('hr_absences')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('employee_id', 'uuid', (c) => c.notNull().references('hr_employees.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('vacation', 'sick', 'trip')`))
    .addColumn('from_date', 'date', (c) => c.notNull())
    .addColumn('to_date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('requested', 'approved', 'rejected', 'cancelled')`),
    )
    .addColumn('note', 'text')
    .addColumn('requested_by', 'uuid')
    .addColumn('decided_by', 'uuid')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('hr_absences_dates', sql`from_date <= to_date`)
    .execute();
  await db.schema
    .createIndex('hr_absences_employee')
    .on('hr_absences')
    .columns(['employee_id', 'from_date'])
    .execute();
  await db.schema
    .createIndex('hr_absences_dates')
    .on('hr_absences')
    .columns(['from_date', 'to_date'])
    .execute();

  await db.schema
    .createTable('hr_vacation_allowances')
    .addColumn('employee_id', 'uuid', (c) => c.notNull().references('hr_employees.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull().check(sql`days >= 0 and days <= 366`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('hr_vacation_allowances_pkey', ['employee_id', 'year'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['hr_vacation_allowances', 'hr_absences', 'hr_employee_events']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('hr_departments').dropConstraint('hr_departments_head').execute();
  await db.schema.dropTable('hr_employees').execute();
  await db.schema.dropTable('hr_positions').execute();
  await db.schema.dropTable('hr_departments').execute();
}
