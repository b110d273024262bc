import type { DataSource } from 'typeorm';
import { utcDay } from './utc-day.js';

/**
 * A dimension rollup row's lists as the one JSON array `[values, sessions]`: what `lists_json` stores, and how a
 * breakdown formats the rows that have none, so both read alike.
 */
export const LISTS_JSON_SQL = 'json_build_array(value_list, session_list)';

export interface CompactionResult {
  /** Monthly dimension rows given their `lists_json`. */
  months: number;
}

/**
 * Fills `lists_json` (the lists as one JSON array, which PostgreSQL sends without formatting a value) for the monthly
 * dimension rows of months that ended before `now`'s month that have none: rows a rebuild or the dev seed wrote
 * (`refreshStaleMonths` fills it itself).
 *
 * Rows go in key order, `batchRows` per statement (each its own transaction). A row ingest holds locked is skipped,
 * not waited for (`SKIP LOCKED`): the job never makes a delivery wait longer than one batch's update, and a skipped
 * row is left for the next run. The JSON is computed from the row version the statement locks, so it is never stale.
 */
export async function compactClosedMonths(ds: DataSource, opts: { now: Date; batchRows?: number }): Promise<CompactionResult> {
  const beforeMonth = `${utcDay(opts.now).slice(0, 8)}01`;
  const batchRows = opts.batchRows ?? 200;
  let after: [string, string, string] = ['', '', '0001-01-01'];
  let months = 0;
  for (;;) {
    const rows: Array<{ n: number; policy_domain: string; dimension: string; month: string }> = await ds.query(
      `WITH picked AS (
         SELECT policy_domain, dimension, month FROM monthly_failure_dimension
          WHERE lists_json IS NULL AND month < $1::date AND (policy_domain, dimension, month) > ($3, $4, $5::date)
          ORDER BY policy_domain, dimension, month LIMIT $2
            FOR UPDATE SKIP LOCKED),
       done AS (
         UPDATE monthly_failure_dimension r SET lists_json = ${LISTS_JSON_SQL}
           FROM picked p WHERE (r.policy_domain, r.dimension, r.month) = (p.policy_domain, p.dimension, p.month)
         RETURNING r.policy_domain, r.dimension, r.month)
       SELECT (SELECT count(*) FROM done)::int AS n, policy_domain, dimension, month::text AS month
         FROM done ORDER BY policy_domain DESC, dimension DESC, month DESC LIMIT 1`,
      [beforeMonth, batchRows, ...after],
    );
    if (!rows.length) return { months };
    months += rows[0].n;
    after = [rows[0].policy_domain, rows[0].dimension, rows[0].month];
  }
}
