// Opens the database the configuration names, for the CLI commands: PostgreSQL at
// DATABASE_URL, or the embedded one under DATA_DIR (locked to this process).
import { mkdirSync } from 'node:fs';
import { lockDataDir } from '../../db/data-dir-lock.js';
import { type DatabaseHandle, openDatabase } from '../../db/database.js';
import { ensureEmbeddedDataDir } from '../../db/init-embedded.js';
import type { Config } from '../config.js';
import type { CoreTables } from '../core/schema.js';

export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle<CoreTables>> {
  if (config.databaseUrl)
    return openDatabase<CoreTables>({ url: config.databaseUrl, poolSize: config.poolSize });
  mkdirSync(config.dataDir, { recursive: true });
  const release = lockDataDir(config.dataDir);
  try {
    await ensureEmbeddedDataDir(config.dataDir);
    const handle = await openDatabase<CoreTables>({ dataDir: config.dataDir });
    return {
      ...handle,
      async close() {
        await handle.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
