import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, inject } from 'vitest';
import { openDatabase } from '@app/store';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file, on the run's PostgreSQL server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `sts_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Registers `beforeAll`/`afterAll` for a describe block that needs a TypeORM data source on its own fresh database
 * (`poolSize` connections, the migrations applied unless `migrate: false`); the getter returns it inside tests.
 */
export function useTestDataSource(opts: { poolSize?: number; migrate?: boolean } = {}): () => DataSource {
  let db: TestDatabase | undefined;
  let ds: DataSource | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase(db.url, { poolSize: opts.poolSize ?? 2, migrate: opts.migrate });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });
  return () => {
    if (!ds) throw new Error('the test data source is opened in beforeAll');
    return ds;
  };
}

/** How many migrations an undo from `name` reverts: that migration and every later one. */
export function migrationsFrom(ds: DataSource, name: string): number {
  const at = ds.migrations.findIndex((m) => m.name === name);
  if (at === -1) throw new Error(`no migration named ${name}`);
  return ds.migrations.length - at;
}

/** Undoes migration `name` and every later one, newest first; `runMigrations` redoes them. */
export async function undoMigrationsFrom(ds: DataSource, name: string): Promise<void> {
  const count = migrationsFrom(ds, name);
  for (let i = 0; i < count; i++) await ds.undoLastMigration({ transaction: 'each' });
}
