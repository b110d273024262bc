import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs a dashboard read as a named prepared statement on the pool under TypeORM: each connection plans it once and
 * PostgreSQL may keep a generic plan, where an unnamed statement is planned again on every request (about 2 ms of the
 * yearly series). The name is derived from the text, so statements built per request (breakdowns) share one per shape.
 */
export async function preparedQuery<T>(ds: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  const pool = (ds.driver as unknown as { master: pg.Pool }).master;
  const name = `dash_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
  const result = await pool.query({ name, text: sql, values: params });
  return result.rows as T[];
}
