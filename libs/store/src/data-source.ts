import { DataSource, type DataSourceOptions } from 'typeorm';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';

export function dataSourceOptions(url: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 10_000 },
  };
}

/** Opens a connection pool and applies pending migrations (a self-hosted service starts with one command). */
export async function openDatabase(url: string, opts: { migrate?: boolean; poolSize?: number } = {}): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url, opts.poolSize));
  await ds.initialize();
  if (opts.migrate !== false) await ds.runMigrations({ transaction: 'each' });
  return ds;
}
