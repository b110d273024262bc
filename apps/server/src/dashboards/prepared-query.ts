import { createHash } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs a dashboard read as a named prepared statement on the pool under TypeORM: each connection plans it once and
 * PostgreSQL may keep a generic plan, where an unnamed statement is planned again on every request (about 2 ms of the
 * yearly series). The name is derived from the text, so statements built per request (breakdowns) share one per shape.
 */
export async function preparedQuery<T>(ds: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  const result = await poolOf(ds).query({ name: statementName(sql), text: sql, values: params });
  return result.rows as T[];
}

/**
 * The same, handing each row to `onRow` as it arrives instead of collecting them: work on the first rows overlaps
 * PostgreSQL formatting the next ones (a yearly breakdown's twelve lists of thousands of values each).
 */
export async function preparedQueryEachRow<T>(ds: DataSource, sql: string, params: unknown[], onRow: (row: T) => void): Promise<void> {
  const client = await poolOf(ds).connect();
  let failed: unknown;
  let queryError: Error | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const query = client.query(new pg.Query({ name: statementName(sql), text: sql, values: params }));
      query.on('row', (row: T) => {
        // A throw here would escape into the socket's data handler; it fails this call instead.
        if (failed === undefined) {
          try {
            onRow(row);
          } catch (e) {
            failed = e;
          }
        }
      });
      query.on('end', () => (failed === undefined ? resolve() : reject(failed)));
      query.on('error', (e: Error) => reject((queryError = e)));
    });
  } finally {
    // As pool.query does: a connection whose query failed is closed rather than handed to the next request.
    client.release(queryError);
  }
}

const poolOf = (ds: DataSource) => (ds.driver as unknown as { master: pg.Pool }).master;
const statementName = (sql: string) => `dash_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
