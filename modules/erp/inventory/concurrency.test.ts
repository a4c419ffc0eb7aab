// Real parallel connections on PostgreSQL: many clerks on one product, documents with lines
// in opposite orders, and a connection killed in the middle of a posting.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedModules } from '../../../modules/index.js';
import { AppError } from '../../../server/core/errors.js';
import { SYSTEM_ACTOR } from '../../../server/core/module.js';
import { createSuite, type Suite } from '../../../server/suite.js';
import { createTestDatabase, type TestDatabase } from '../../../server/testing/test-db.js';
import { checkStock } from './stock-check.js';

const WRITERS = 50;
const EACH = 20;

describe.skipIf(!process.env.TEST_DATABASE_URL)('erp postings under real concurrency [postgres]', () => {
  let database: TestDatabase;
  let suite: Suite;
  const call = <T>(name: string, input: unknown) =>
    suite.registry.call<T>(name, input, { actor: SYSTEM_ACTOR });

  beforeAll(async () => {
    database = await createTestDatabase('postgres', { poolSize: WRITERS });
    suite = await createSuite({ db: database.db, modules: installedModules, log: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await suite?.close();
    await database?.close();
  });

  async function setup(stock: Record<string, number>) {
    const warehouse = await call<{ id: string }>('erp.createWarehouse', {
      code: `W-${randomUUID().slice(0, 8)}`,
      name: 'Ombor',
    });
    const products: string[] = [];
    for (const quantity of Object.values(stock)) {
      const product = await call<{ id: string }>('erp.createProduct', {
        sku: `P-${randomUUID().slice(0, 8)}`,
        name: 'Sement',
        unit: 'pcs',
      });
      products.push(product.id);
      if (quantity > 0) {
        await call('erp.postStockDocument', {
          type: 'receipt',
          warehouseId: warehouse.id,
          lines: [{ productId: product.id, quantity, price: '1234.57' }],
        });
      }
    }
    return { warehouseId: warehouse.id, products };
  }

  async function balanceOf(productId: string, warehouseId: string) {
    const { items } = await call<{ items: { quantity: string }[] }>('erp.getStock', {
      productId,
      warehouseId,
    });
    return items[0]?.quantity;
  }

  it(`${WRITERS} writers x ${EACH} write-offs of 1 on a product with 500: exactly 500 post`, {
    timeout: 120_000,
  }, async () => {
    const { warehouseId, products } = await setup({ cement: 500 });
    const productId = products[0]!;
    const outcomes = { posted: 0, short: 0, other: [] as string[] };
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let i = 0; i < EACH; i++) {
          try {
            await call('erp.postStockDocument', {
              type: 'write_off',
              warehouseId,
              reason: 'damaged',
              lines: [{ productId, quantity: 1 }],
            });
            outcomes.posted++;
          } catch (error) {
            if (error instanceof AppError && error.code === 'STOCK_INSUFFICIENT') outcomes.short++;
            else outcomes.other.push(String(error));
          }
        }
      }),
    );
    expect(outcomes).toEqual({ posted: 500, short: WRITERS * EACH - 500, other: [] });
    expect(await balanceOf(productId, warehouseId)).toBe('0.000');
    // Every unit left at the one price it came in at: the write-offs took exactly its value.
    const { rows } = await sql<{ value: string; entries: number }>`select sum(value)::text as value,
      count(*)::int as entries from erp_stock_ledger where product_id = ${productId} and quantity < 0`.execute(
      database.db,
    );
    expect(rows[0]).toEqual({ value: '-617285.00', entries: 500 });
    const check = await checkStock(database.db);
    expect(check.differences).toEqual([]);
  });

  it('never fails with anything but a stock refusal when documents lock lines in opposite orders', {
    timeout: 120_000,
  }, async () => {
    const { warehouseId, products } = await setup({ a: 300, b: 300, c: 300 });
    const [a, b, c] = products as [string, string, string];
    const orders = [
      [a, b, c],
      [c, b, a],
      [b, a, c],
      [c, a, b],
    ];
    const failures: string[] = [];
    let posted = 0;
    await Promise.all(
      Array.from({ length: 24 }, async (_, writer) => {
        for (let i = 0; i < 10; i++) {
          const order = orders[(writer + i) % orders.length]!;
          try {
            await call('erp.postStockDocument', {
              type: 'write_off',
              warehouseId,
              reason: 'lost',
              lines: order.map((productId) => ({ productId, quantity: 1 })),
            });
            posted++;
          } catch (error) {
            if (!(error instanceof AppError && error.code === 'STOCK_INSUFFICIENT'))
              failures.push(String(error));
          }
        }
      }),
    );
    expect(failures).toEqual([]);
    expect(posted).toBe(240);
    for (const p of products) expect(await balanceOf(p, warehouseId)).toBe('60.000');
    expect((await checkStock(database.db)).differences).toEqual([]);
  });

  /** The test's schema, for raw SQL on connections of its own. */
  async function schemaOf() {
    return (
      await database.db
        .selectNoFrom((eb) => eb.fn<string>('current_schema').as('s'))
        .executeTakeFirstOrThrow()
    ).s;
  }

  /** Waits until `count` backends other than `except` wait for a lock, running SQL on `table`. */
  async function someoneWaits(admin: pg.Client, except: pg.Client, table = 'erp_', count = 1) {
    const pid = (await except.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    for (let i = 0; i < 200; i++) {
      const { rows } = await admin.query(
        `select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()
           and query like $2 and pid <> $1`,
        [pid, `%${table}%`],
      );
      if (rows.length >= count) return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }

  it("a receipt racing its warehouse's deactivation never lands in the closed warehouse", {
    timeout: 60_000,
  }, async () => {
    const schema = await schemaOf();
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      // Three ways in: a product's first posting in the warehouse (a new balance row), a key
      // posted before (the planned statement, on beliefs), and a draft posted.
      for (const way of ['first', 'known', 'draft'] as const) {
        const { warehouseId, products } = await setup({ sugar: 0 });
        const productId = products[0]!;
        const receipt = { type: 'receipt', warehouseId, lines: [{ productId, quantity: 5 }] };
        if (way === 'known') {
          await call('erp.postStockDocument', receipt);
          await call('erp.postStockDocument', { ...receipt, type: 'write_off', reason: 'lost' });
        }
        const draft = way === 'draft' ? await call<{ id: string }>('erp.createStockDocument', receipt) : null;

        // The deactivation, as the action takes its locks, held open before its commit.
        const closing = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await closing.connect();
        await closing.query('begin');
        await closing.query(`select 1 from "${schema}".erp_warehouses where id = $1 for update`, [
          warehouseId,
        ]);
        await closing.query(
          `select 1 from "${schema}".erp_stock_balances where warehouse_id = $1 for update`,
          [warehouseId],
        );
        await closing.query(`update "${schema}".erp_warehouses set active = false where id = $1`, [
          warehouseId,
        ]);

        const posting = (
          draft ? call('erp.postDraft', { id: draft.id }) : call('erp.postStockDocument', receipt)
        ).then(
          () => 'posted',
          (error: unknown) => (error instanceof AppError ? JSON.stringify(error.details) : String(error)),
        );
        expect(await someoneWaits(admin, closing)).toBe(true);
        await closing.query('commit');
        await closing.end();

        // Refused as naming no active warehouse (the message is the reader's language).
        expect(await posting, way).toContain('"path":"warehouseId"');
        expect(await balanceOf(productId, warehouseId), way).toBe(way === 'known' ? '0.000' : undefined);
        expect((await checkStock(database.db)).differences).toEqual([]);
      }
    } finally {
      await admin.end();
    }
  });

  it('a deactivation racing a posting in flight waits for it and counts its stock', {
    timeout: 60_000,
  }, async () => {
    const schema = await schemaOf();
    const { warehouseId, products } = await setup({ flour: 0, rice: 3 });
    const [flour, rice] = products as [string, string];
    // Rice's row stays, empty: the posting will stop there while the warehouse holds no stock.
    await call('erp.postStockDocument', {
      type: 'write_off',
      warehouseId,
      reason: 'lost',
      lines: [{ productId: rice, quantity: 3 }],
    });
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    const blocker = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await blocker.connect();
    try {
      // Rice's balance row held: the posting has read the warehouse and stops at that row.
      await blocker.query('begin');
      await blocker.query(`select 1 from "${schema}".erp_stock_balances where product_id = $1 for update`, [
        rice,
      ]);
      const posting = call('erp.postStockDocument', {
        type: 'receipt',
        warehouseId,
        lines: [
          { productId: flour, quantity: 4 },
          { productId: rice, quantity: 2 },
        ],
      }).then(
        () => 'posted',
        (error: unknown) => String(error),
      );
      expect(await someoneWaits(admin, blocker)).toBe(true);
      // The warehouse holds nothing yet: the deactivation must wait for the posting and count it.
      const closing = call('erp.updateWarehouse', { id: warehouseId, active: false }).then(
        () => 'closed',
        (error: unknown) => (error instanceof AppError ? error.code : String(error)),
      );
      expect(await someoneWaits(admin, blocker, 'erp_', 2)).toBe(true);
      await blocker.query('rollback');
      expect(await posting).toBe('posted');
      expect(await closing).toBe('WAREHOUSE_HAS_STOCK');
      expect(await balanceOf(flour, warehouseId)).toBe('4.000');
      expect(await balanceOf(rice, warehouseId)).toBe('2.000');
    } finally {
      await blocker.end();
      await admin.end();
    }
  });

  it('a posting whose connection is killed midway leaves nothing half-posted', {
    timeout: 60_000,
  }, async () => {
    const { warehouseId, products } = await setup({ a: 10, b: 10 });
    const [a, b] = products as [string, string];
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      // Hold the second product's balance row so the posting stops after changing the first.
      const blocker = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await blocker.connect();
      const schema = (
        await database.db
          .selectNoFrom((eb) => eb.fn<string>('current_schema').as('s'))
          .executeTakeFirstOrThrow()
      ).s;
      await blocker.query('begin');
      await blocker.query(`select * from "${schema}".erp_stock_balances where product_id = $1 for update`, [
        b,
      ]);
      const posting = call('erp.postStockDocument', {
        type: 'write_off',
        warehouseId,
        reason: 'lost',
        lines: [
          { productId: a, quantity: 3 },
          { productId: b, quantity: 3 },
        ],
      }).then(
        () => 'posted',
        (error: unknown) => `failed: ${String(error)}`,
      );
      // Find the waiting posting's backend and kill it, as if the server process died. Its
      // text is matched by its start (pg_stat_activity keeps only the first 1 kB of a query).
      let killed = false;
      for (let i = 0; i < 100 && !killed; i++) {
        const { rows } = await admin.query<{ pid: number }>(
          `select pid from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()
             and query like '%erp_stock_%' and pid <> $1`,
          [(await blocker.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid],
        );
        for (const row of rows) {
          await admin.query('select pg_terminate_backend($1)', [row.pid]);
          killed = true;
        }
        if (!killed) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(killed).toBe(true);
      expect(await posting).toMatch(/^failed/);
      await blocker.query('rollback');
      await blocker.end();
      expect(await balanceOf(a, warehouseId)).toBe('10.000');
      expect(await balanceOf(b, warehouseId)).toBe('10.000');
      const docs = await call<{ total: number }>('erp.listStockDocuments', {
        warehouseId,
        type: 'write_off',
      });
      expect(docs.total).toBe(0);
      expect((await checkStock(database.db)).differences).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
