// Runs once per `vitest run`: prepares a migrated PGlite snapshot that every data test file
// loads in under a second (a fresh initdb costs ~5 s), and readies PostgreSQL when
// TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../db/database.js';
import { migrateAll } from '../../db/migrator.js';
import { installedModules } from '../../modules/index.js';
import { migrationSets } from '../suite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    /** Names this run's PostgreSQL schemas, which are dropped when the run ends. */
    testRunId: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'onebox-test-'));
  const handle = await openDatabase({});
  await migrateAll(handle.db, migrationSets(installedModules));
  const dump = await handle.pglite!.dumpDataDir('none');
  const file = join(dir, 'snapshot.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('pgliteSnapshot', file);
  const runId = randomBytes(4).toString('hex');
  project.provide('testRunId', runId);

  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // Extensions live in public, shared by every test schema (search_path ends in public).
    await client.query('create extension if not exists pg_trgm');
    // Schemas left by a run killed before it could clean up: older than two hours, so that
    // runs still going (another terminal, another engineer) keep theirs.
    const stale = await client.query<{ nspname: string }>(
      `select nspname from pg_namespace where nspname ~ '^test_[0-9]+_' and split_part(nspname, '_', 2)::bigint < $1`,
      [Math.floor(Date.now() / 1000) - 7200],
    );
    for (const { nspname } of stale.rows) await client.query(`drop schema if exists "${nspname}" cascade`);
    await client.end();
  }
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!url) return;
    // Dropped only now, when no test file runs: a schema dropped while another file migrates
    // breaks Kysely's introspection there ("schema ... does not exist" from a catalog function
    // that resolves every schema's tables by name).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const mine = await client.query<{ nspname: string }>(
      `select nspname from pg_namespace where nspname ~ $1`,
      [`^test_[0-9]+_r${runId}_`],
    );
    for (const { nspname } of mine.rows) await client.query(`drop schema if exists "${nspname}" cascade`);
    await client.end();
  };
}
