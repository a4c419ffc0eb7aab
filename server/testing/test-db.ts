// A fresh database for each data test file, on PGlite always and on PostgreSQL too when
// TEST_DATABASE_URL is set: a snapshot load on PGlite, a schema of its own on PostgreSQL.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type AnyDb, type Backend, openDatabase } from '../../db/database.js';

export type TestDatabase = { db: AnyDb; backend: Backend; close(): Promise<void> };

/** The backends every data test runs on: PGlite, and PostgreSQL when TEST_DATABASE_URL is set. */
export function testBackends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function createTestDatabase(
  backend: Backend,
  options: { poolSize?: number } = {},
): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const snapshot = readFileSync(inject('pgliteSnapshot'));
    const handle = await openDatabase({ loadDataDir: new Blob([snapshot]) });
    return handle;
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  // The creation time in the name lets a later run drop what a killed run left behind
  // without touching the schemas of runs still going.
  const schema = `test_${Math.floor(Date.now() / 1000)}_r${inject('testRunId')}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  await admin.end();
  const handle = await openDatabase({ url, searchPath: schema, poolSize: options.poolSize ?? 10 });
  return {
    db: handle.db,
    backend: 'postgres',
    // The schema is dropped when the whole run ends (global-setup.ts), not here: dropping it
    // while another file migrates would fail that file.
    async close() {
      await handle.close();
    },
  };
}
