// SQL marked PREPARED runs as a named prepared statement on PostgreSQL (parsed and planned
// once per connection) and answers exactly as unmarked SQL; PGlite runs it as plain SQL.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testBackends } from '../server/testing/test-db.js';
import { PREPARED, withGenericPlans } from './database.js';

describe.each(testBackends())('prepared statements [%s]', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('answers as plain SQL does, with parameters, again and again', async () => {
    await database.db.transaction().execute(async (trx) => {
      for (const n of [1, 2, 3]) {
        const marked = await sql<{
          n: number;
          t: string;
        }>`${sql.raw(PREPARED)} select ${n}::int as n, ${`x${n}`}::text as t`.execute(trx);
        expect(marked.rows).toEqual([{ n, t: `x${n}` }]);
      }
      if (backend !== 'postgres') return;
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements
        where statement like ${`${PREPARED}%`} and statement like '%::int as n%'`.execute(trx);
      expect(rows).toHaveLength(1);
    });
  });

  it('reports a failing prepared statement like any other, and runs it again afterwards', async () => {
    const failing = (value: string) =>
      sql`${sql.raw(PREPARED)} select ${value}::int as n`.execute(database.db);
    await expect(failing('not a number')).rejects.toThrow();
    expect((await failing('7')).rows).toEqual([{ n: 7 }]);
  });

  it('plans once on the connections of withGenericPlans only, in transactions or not', async () => {
    const mode = async (db: typeof database.db) => {
      const { rows } = await sql<{ mode: string }>`select current_setting('plan_cache_mode') as mode`.execute(
        db,
      );
      return rows[0]!.mode;
    };
    const inTransaction = (db: typeof database.db) => db.transaction().execute((trx) => mode(trx));
    const generic = backend === 'postgres' ? 'force_generic_plan' : 'auto';
    expect(await mode(database.db)).toBe('auto');
    expect(await inTransaction(database.db)).toBe('auto');
    expect(await mode(withGenericPlans(database.db))).toBe(generic);
    expect(await inTransaction(withGenericPlans(database.db))).toBe(generic);
    // Its own connections: the database's stay as they were.
    expect(await mode(database.db)).toBe('auto');
  });
});
