// `npm run check:stock`: verifies the stock invariant on the whole database and prints every
// difference; exits 1 when there is one. Uses the configured database (DATA_DIR or DATABASE_URL).

import type { Kysely } from 'kysely';
import { openConfiguredDatabase } from '../../../server/cli/open-configured-database.js';
import { loadConfig } from '../../../server/config.js';
import { checkStock } from '../inventory/stock-check.js';
import type { ErpTables } from '../schema.js';

const database = await openConfiguredDatabase(loadConfig());
try {
  const result = await checkStock(database.db as unknown as Kysely<ErpTables>);
  console.log(`Checked ${result.checkedBalances} balances.`);
  for (const d of result.differences) {
    console.log(
      `  ${d.kind}: product ${d.productId} in warehouse ${d.warehouseId}: ${d.balance}, expected ${d.expected}`,
    );
  }
  console.log(
    result.ok
      ? 'Stock is consistent: every balance equals its ledger, in quantity and in value.'
      : `${result.differences.length} difference(s) found.`,
  );
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await database.close();
}
