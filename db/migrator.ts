// Applies each module's own migrations, tracked in a table per module (`<name>_migrations`),
// modules in dependency order. Kysely's migrator takes a database lock, so several server
// processes starting at once apply each migration exactly once.
import { type Migration, type MigrationResult, Migrator, sql } from 'kysely';
import type { AnyDb } from './database.js';

export type MigrationSet = { name: string; migrations: Record<string, Migration>; dependsOn?: string[] };

export function orderByDependencies<T extends MigrationSet>(sets: T[]): T[] {
  const byName = new Map(sets.map((s) => [s.name, s]));
  const ordered: T[] = [];
  const visiting = new Set<string>();
  const visit = (set: T) => {
    if (ordered.includes(set)) return;
    if (visiting.has(set.name)) throw new Error(`Module dependency cycle through "${set.name}"`);
    visiting.add(set.name);
    for (const dep of set.dependsOn ?? []) {
      const target = byName.get(dep);
      if (!target) throw new Error(`Module "${set.name}" depends on "${dep}", which is not loaded`);
      visit(target);
    }
    visiting.delete(set.name);
    ordered.push(set);
  };
  for (const set of sets) visit(set);
  return ordered;
}

function migratorFor(db: AnyDb, set: MigrationSet, schema: string): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => set.migrations },
    migrationTableName: `${set.name}_migrations`,
    migrationLockTableName: `${set.name}_migrations_lock`,
    // Named explicitly: otherwise Kysely looks for its tables in every schema and, with a
    // schema per test file, finds another file's lock table and skips creating its own.
    migrationTableSchema: schema,
  });
}

async function currentSchema(db: AnyDb): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]!.schema;
}

export type AppliedMigration = { module: string; migration: string };

/** PostgreSQL's invalid_schema_name: another schema of the database went while it was read. */
const SCHEMA_GONE = '3F000';

/**
 * One module's migrations. Kysely checks for its migration table by listing the tables of every
 * schema, which fails when another schema is dropped meanwhile (a concurrent test run cleaning
 * up its own): that check is read again, a few times, before anything is migrated.
 */
async function migrateSet(db: AnyDb, set: MigrationSet, schema: string) {
  for (let attempt = 1; ; attempt++) {
    const outcome = await migratorFor(db, set, schema).migrateToLatest();
    const code = (outcome.error as { code?: unknown } | undefined)?.code;
    const applied = outcome.results?.some((r: MigrationResult) => r.status !== 'NotExecuted') ?? false;
    if (code !== SCHEMA_GONE || applied || attempt === 3) return outcome;
  }
}

/** Applies every pending migration; throws with the failing module and migration named. */
export async function migrateAll(db: AnyDb, sets: MigrationSet[]): Promise<AppliedMigration[]> {
  const applied: AppliedMigration[] = [];
  const schema = await currentSchema(db);
  for (const set of orderByDependencies(sets)) {
    const { error, results } = await migrateSet(db, set, schema);
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    if (error) {
      const where = failed ? `${set.name}/${failed.migrationName}` : set.name;
      throw new Error(
        `Migration ${where} failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
    for (const r of results ?? []) {
      if (r.status === 'Success') applied.push({ module: set.name, migration: r.migrationName });
    }
  }
  return applied;
}

/** Names of migrations not yet applied (for /readyz). */
export async function pendingMigrations(db: AnyDb, sets: MigrationSet[]): Promise<AppliedMigration[]> {
  const pending: AppliedMigration[] = [];
  const schema = await currentSchema(db);
  for (const set of sets) {
    const infos = await migratorFor(db, set, schema).getMigrations();
    for (const info of infos) {
      if (!info.executedAt) pending.push({ module: set.name, migration: info.name });
    }
  }
  return pending;
}
