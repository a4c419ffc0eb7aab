// Opens the one database the suite runs on: PostgreSQL through a `pg` pool when a URL is
// given, otherwise embedded PGlite persisted in a folder. Both return the same types.

import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import {
  Kysely,
  type PostgresCursor,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type Transaction,
} from 'kysely';
import pg from 'pg';

export type Backend = 'postgres' | 'pglite';

// The core and the migrator handle every module's tables, whose types they cannot know;
// each module types its own handle with its own tables.
// biome-ignore lint/suspicious/noExplicitAny: the untyped handle of the whole database
export type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: the untyped transaction of the whole database
export type AnyTransaction = Transaction<any>;

export type DatabaseHandle<DB> = {
  db: Kysely<DB>;
  backend: Backend;
  /** The embedded instance, when there is one (tests dump it as a snapshot). */
  pglite?: PGlite;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  /** PostgreSQL connection string; without it the embedded PGlite is used. */
  url?: string;
  /** Folder of the embedded database; `undefined` keeps it in memory (tests). */
  dataDir?: string;
  /** A PGlite data-directory dump to start from (tests start from a migrated snapshot). */
  loadDataDir?: Blob;
  /** Schema that unqualified names resolve to (a schema per test file on PostgreSQL). */
  searchPath?: string;
  poolSize?: number;
};

const INT8 = 20;

/**
 * SQL that starts with this comment runs as a named prepared statement on PostgreSQL: parsed
 * and planned once per connection rather than at every call. For hot statements of a few
 * shapes only, since each connection keeps every text it prepared. PGlite ignores it.
 * @example sql`${sql.raw(PREPARED)} select ...`
 */
export const PREPARED = '/* prepared */';

/**
 * SQL that starts with this comment is a savepoint statement PostgreSQL need not see yet: a
 * savepoint is sent just before the next statement of its transaction, and a release or
 * rollback to a savepoint no statement followed is dropped. Work guarded by a savepoint that
 * sends no SQL (a BPM service task calling an action that only computes) then costs no round
 * trips. PGlite, in process, runs the statements as they come. Use `inSavepoint`.
 */
export const LAZY_SAVEPOINT = '/* lazy */';

const genericTwins = new WeakMap<object, object>();

/** Connections of the generic twin (below) at most: a few groups run at once. */
const GENERIC_POOL_SIZE = 4;

/**
 * The same database, through connections that plan prepared statements once
 * (`plan_cache_mode = force_generic_plan`, set when each connection opens, so a statement needs
 * no transaction around it to get it). For statements that take their rows as arrays (group
 * commit): PostgreSQL otherwise plans them again at every call, because a custom plan that
 * knows an array's length always looks cheaper than the generic one, and the planning costs
 * more than running them. Never for statements whose best plan depends on the values (a LIKE
 * prefix, a rare status): those need their custom plans. On PGlite, or for a handle not opened
 * here, the database itself.
 */
export function withGenericPlans<DB>(db: Kysely<DB>): Kysely<DB> {
  return (genericTwins.get(db) as Kysely<DB> | undefined) ?? db;
}

/** Statement names of prepared texts: a text is hashed once, not at every call. */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = createHash('sha1').update(text).digest('base64url');
    // The prepared texts are a few fixed shapes; a bound keeps a mistake from growing it forever.
    if (statementNames.size < 1000) statementNames.set(text, name);
  }
  return name;
}

const lazyStatement =
  /^\/\* lazy \*\/ (savepoint|release savepoint|rollback to savepoint) ([a-z_][a-z0-9_]*)$/;
const endsTransaction = /^(commit|rollback)$/i;
const skipped = { command: 'SAVEPOINT', rowCount: null, rows: [], fields: [] };

/**
 * Hands Kysely the pool's clients, sending SQL marked PREPARED as a named statement and
 * holding back LAZY_SAVEPOINT statements until they matter.
 */
function preparingPool(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    // Savepoints asked for but not yet sent, oldest first (a transaction runs on one client).
    const pending: string[] = [];
    const sendPending = () => {
      // pg queues statements in order: the savepoint goes out before the caller's statement,
      // whose own failure reports a savepoint that failed (the transaction is then aborted).
      for (const name of pending.splice(0)) client.query(`savepoint ${name}`).catch(() => {});
    };
    function lazy(statement: string) {
      const [, verb, name = ''] = statement.match(lazyStatement) ?? [];
      if (!verb) throw new Error(`Not a lazy savepoint statement: ${statement}`);
      if (verb === 'savepoint') {
        pending.push(name);
        return Promise.resolve(skipped);
      }
      const at = pending.lastIndexOf(name);
      if (at < 0) return client.query(statement);
      // Nothing ran since the savepoint: releasing it, or rolling back to it, is a no-op. A
      // rollback keeps the savepoint itself (as PostgreSQL does), a release drops it.
      pending.splice(verb === 'release savepoint' ? at : at + 1);
      return Promise.resolve(skipped);
    }
    function query(statement: string | PostgresCursor<unknown>, values: unknown[] = []) {
      if (typeof statement === 'string' && statement.startsWith(LAZY_SAVEPOINT)) return lazy(statement);
      if (pending.length > 0) {
        if (typeof statement === 'string' && endsTransaction.test(statement)) pending.length = 0;
        else sendPending();
      }
      // A cursor (streamed results) passes through as it came.
      if (typeof statement !== 'string') return client.query(statement as unknown as pg.Submittable);
      // The marker may follow a template's leading line break.
      if (!statement.trimStart().startsWith(PREPARED)) return client.query(statement, values);
      return client.query({ name: statementName(statement), text: statement, values });
    }
    // One function serves both overloads of Kysely's client type.
    return {
      query: query as unknown as PostgresPoolClient['query'],
      release: () => {
        pending.length = 0;
        client.release();
      },
    };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let handle = wrapped.get(client);
      if (!handle) {
        handle = wrap(client);
        wrapped.set(client, handle);
      }
      return handle;
    },
    end: () => pool.end(),
  };
}

// int8 (bigserial ids, count(*)) comes back as a number on both backends; a value that
// would lose precision is an error rather than a silently wrong number.
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} exceeds the safe integer range`);
  return n;
}

let pgTypesSet = false;
function setPgTypes(): void {
  if (pgTypesSet) return;
  pgTypesSet = true;
  pg.types.setTypeParser(INT8, parseInt8);
  // numeric stays a string on both backends: money and quantities use decimal arithmetic.
}

export async function openDatabase<DB>(options: DatabaseOptions): Promise<DatabaseHandle<DB>> {
  if (options.url) {
    setPgTypes();
    const openPool = (max: number, settings: string[]) => {
      const pool = new pg.Pool({
        connectionString: options.url,
        max,
        options: settings.map((s) => `-c ${s}`).join(' ') || undefined,
      });
      pool.on('error', () => {
        // An idle client that dies is dropped by the pool; the next query gets a new one.
      });
      pool.on('connect', (client) => {
        // A connection killed while in use (server restart, pg_terminate_backend) fails its
        // query, which reports it; the client's own error event must not crash the process.
        client.on('error', () => {});
      });
      return new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    };
    const searchPath = options.searchPath ? [`search_path=${options.searchPath},public`] : [];
    const db = openPool(options.poolSize ?? 10, searchPath);
    // Its connections open only when used (by group commit).
    const generic = openPool(GENERIC_POOL_SIZE, [...searchPath, 'plan_cache_mode=force_generic_plan']);
    genericTwins.set(db, generic);
    return {
      db,
      backend: 'postgres',
      close: async () => {
        await Promise.all([db.destroy(), generic.destroy()]);
      },
    };
  }
  // Loaded only when used: the embedded engine costs ~80 MB of memory a PostgreSQL server never needs.
  const [{ PGlite }, { pg_trgm }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('kysely-pglite-dialect'),
  ]);
  const lite = await PGlite.create({
    dataDir: options.dataDir,
    // PostgreSQL's memory lives in PGlite's WebAssembly memory, which grows and never shrinks:
    // the default 128 MB of shared buffers kept the process near 400 MB. 16 MB of buffers (the
    // OS page cache still holds the data files), and smaller sort and index-build memory (a
    // migration's CREATE INDEX would otherwise grow it by up to 64 MB for good) keep the
    // server's peak under load at 360-375 MB and its steady state near 310 MB (npm run bench).
    startParams: [
      ...PGlite.defaultStartParams,
      ...['-c', 'shared_buffers=16MB', '-c', 'maintenance_work_mem=16MB'],
      ...['-c', 'work_mem=2MB', '-c', 'temp_buffers=2MB'],
    ],
    loadDataDir: options.loadDataDir,
    extensions: { pg_trgm },
    parsers: { [INT8]: parseInt8 },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(lite) });
  if (options.searchPath) await lite.exec(`set search_path to ${options.searchPath}, public`);
  return { db, backend: 'pglite', pglite: lite, close: () => db.destroy() };
}
