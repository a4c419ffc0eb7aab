// inSavepoint undoes only the failed work's writes, on both backends; on PostgreSQL a savepoint
// around work that sends no SQL never reaches the server.
import { sql, type Transaction } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testBackends } from '../server/testing/test-db.js';
import { inSavepoint } from './savepoint.js';

type Db = { t: { n: number } };

describe.each(testBackends())('inSavepoint [%s]', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });

  const inTable = (work: (trx: Transaction<Db>) => Promise<void>) =>
    database.db.transaction().execute(async (trx) => {
      await sql`create temp table t (n int) on commit drop`.execute(trx);
      await work(trx as unknown as Transaction<Db>);
    });
  const numbers = async (trx: Transaction<Db>) =>
    (await trx.selectFrom('t').select('n').orderBy('n').execute()).map((r) => r.n);
  const fail = (message: string) => {
    throw new Error(message);
  };

  it('keeps the work that succeeded and undoes only the work that failed', async () => {
    await inTable(async (trx) => {
      await trx.insertInto('t').values({ n: 1 }).execute();
      await inSavepoint(trx, 'kept', async () => {
        await trx.insertInto('t').values({ n: 2 }).execute();
      });
      await expect(
        inSavepoint(trx, 'undone', async () => {
          await trx.insertInto('t').values({ n: 3 }).execute();
          fail('after a write');
        }),
      ).rejects.toThrow('after a write');
      await expect(inSavepoint(trx, 'undone', async () => fail('before any SQL'))).rejects.toThrow();
      // A statement that fails inside aborts only the savepoint, not the transaction.
      await expect(
        inSavepoint(trx, 'bad_sql', () => sql`select 1 / 0`.execute(trx).then(() => undefined)),
      ).rejects.toThrow();
      await trx.insertInto('t').values({ n: 4 }).execute();
      expect(await numbers(trx)).toEqual([1, 2, 4]);
    });
  });

  it('nests: an inner failure keeps the outer work, an outer failure undoes both', async () => {
    await inTable(async (trx) => {
      await inSavepoint(trx, 'outer_ok', async () => {
        await expect(
          inSavepoint(trx, 'inner', async () => {
            await trx.insertInto('t').values({ n: 1 }).execute();
            fail('inner');
          }),
        ).rejects.toThrow('inner');
        await trx.insertInto('t').values({ n: 2 }).execute();
      });
      await expect(
        inSavepoint(trx, 'outer_bad', async () => {
          await inSavepoint(trx, 'inner', async () => {
            await trx.insertInto('t').values({ n: 3 }).execute();
          });
          fail('outer');
        }),
      ).rejects.toThrow('outer');
      // Both pending and never sent: the inner one released before any SQL ran.
      await inSavepoint(trx, 'a', () => inSavepoint(trx, 'b', async () => undefined));
      expect(await numbers(trx)).toEqual([2]);
    });
  });

  it.runIf(backend === 'postgres')('sends nothing for work that sends no SQL', async () => {
    const sent: string[] = [];
    const original = pg.Client.prototype.query;
    await inTable(async (trx) => {
      pg.Client.prototype.query = function spy(this: pg.Client, ...args: unknown[]) {
        sent.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text));
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof original;
      try {
        await inSavepoint(trx, 'quiet', async () => 42);
        await expect(inSavepoint(trx, 'quiet', async () => fail('no SQL'))).rejects.toThrow();
        expect(sent).toEqual([]);
        await inSavepoint(trx, 'busy', async () => {
          await trx.insertInto('t').values({ n: 1 }).execute();
        });
      } finally {
        pg.Client.prototype.query = original;
      }
    });
    expect(sent[0]).toBe('savepoint sp_busy');
    expect(sent.at(-1)).toMatch(/release savepoint sp_busy$/);
  });
});
