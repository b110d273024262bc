import pg from 'pg';
import { resolveDatabase, type DatabaseHandle } from '../../libs/store/src/embedded-postgres.js';

/** DATABASE_URL when set, else an embedded PostgreSQL under ./data/bench-pg; each call gives a fresh database. */
export async function benchServer(): Promise<DatabaseHandle> {
  return resolveDatabase({ url: process.env.DATABASE_URL || null, dataDir: './data/bench-pg', embeddedPort: 54349 });
}

export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
