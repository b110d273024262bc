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
  if (opts.migrate !== false) await runMigrationsLocked(ds);
  return ds;
}

/**
 * Applies pending migrations while holding a session advisory lock, so replicas (or a CLI next to the server)
 * starting together migrate one after the other instead of racing on the same DDL.
 */
export async function runMigrationsLocked(ds: DataSource): Promise<void> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext('sts-pilot:migrations'))`);
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext('sts-pilot:migrations'))`);
    }
  } finally {
    await runner.release();
  }
}

/** Applies pending migrations on a short-lived connection (the server does this before it boots). */
export async function migrateDatabase(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  try {
    await runMigrationsLocked(ds);
  } finally {
    await ds.destroy();
  }
}
