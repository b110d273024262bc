import { loadConfig, type AppConfig } from '@app/config';
import { openDatabase, resolveDatabase } from '@app/store';
import { config as loadDotenv } from 'dotenv';
import type { DataSource } from 'typeorm';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function cliConfig(): AppConfig {
  loadDotenv({ quiet: true });
  const loaded = loadConfig(process.env);
  if (!loaded.ok) throw new CliError(`configuration error: ${loaded.error}`, 2);
  return loaded.config;
}

/**
 * Runs `fn` against the same database the server uses: DATABASE_URL, else the embedded cluster under DATA_DIR
 * (joined when the server is running, started for the duration of the command otherwise). Migrations are applied.
 */
export async function withDatabase<T>(fn: (ds: DataSource, config: AppConfig) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const db = await resolveDatabase({ url: config.database.url, dataDir: config.dataDir, embeddedPort: config.database.embeddedPort });
  try {
    const ds = await openDatabase(db.url, { poolSize: 4 });
    try {
      return await fn(ds, config);
    } finally {
      await ds.destroy();
    }
  } finally {
    await db.stop();
  }
}
