// jsonbColumn gives PostgreSQL the documents as they were written, in order, null as SQL NULL,
// on both backends, whatever characters the documents hold.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testBackends } from '../server/testing/test-db.js';
import { jsonbColumn } from './json-rows.js';

describe.each(testBackends())('jsonbColumn [%s]', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });

  const unnested = async (texts: (string | null)[], numbers: number[]) => {
    const { rows } = await sql<{ n: number; doc: unknown; missing: boolean }>`
      select r.n, r.doc, r.doc is null as missing
      from unnest(${numbers}::int[], ${jsonbColumn(texts)}) as r (n, doc)`.execute(database.db);
    return rows;
  };

  it('keeps each document beside its row, quotes, backslashes and Uzbek letters intact', async () => {
    const docs = [
      { name: 'O\'zbekiston "Sement" zavodi', path: 'C:\\ombor\\1', note: 'Gʻalla — ўғит' },
      [1, 2, { nested: [null, true] }],
      'matn',
      42,
    ];
    const rows = await unnested(
      docs.map((d) => JSON.stringify(d)),
      [1, 2, 3, 4],
    );
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3, 4]);
    expect(rows.map((r) => r.doc)).toEqual(docs);
  });

  it('gives SQL NULL for null, so an audit entry without a before stays without one', async () => {
    const rows = await unnested([null, '{"a":1}', null], [1, 2, 3]);
    expect(rows.map((r) => r.missing)).toEqual([true, false, true]);
    expect(rows[1]!.doc).toEqual({ a: 1 });
  });

  it('takes no rows as an empty column', async () => {
    expect(await unnested([], [])).toEqual([]);
  });

  it('refuses a text that is not JSON, rather than storing something else', async () => {
    await expect(unnested(['{"a":'], [1])).rejects.toThrow();
  });
});
