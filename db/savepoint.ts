// Runs work inside a savepoint of the current transaction, so its failure undoes only its own
// writes; the savepoint reaches PostgreSQL only if the work sends SQL (LAZY_SAVEPOINT).
import { type QueryExecutorProvider, sql } from 'kysely';
import { LAZY_SAVEPOINT } from './database.js';

export async function inSavepoint<T>(
  trx: QueryExecutorProvider,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Bad savepoint name: ${name}`);
  // Prefixed: a bare name could be a reserved word (`savepoint inner` is a syntax error).
  const marked = (verb: string) => sql.raw(`${LAZY_SAVEPOINT} ${verb} sp_${name}`).execute(trx);
  await marked('savepoint');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // Released too: a savepoint left behind would be sent before the transaction's next statement.
    await marked('rollback to savepoint');
    await marked('release savepoint');
    throw error;
  }
  await marked('release savepoint');
  return result;
}
