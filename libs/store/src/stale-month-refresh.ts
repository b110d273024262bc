import type { DataSource } from 'typeorm';
import { LISTS_JSON_SQL } from './closed-month-compaction.js';
import { monthListsFromDaysSql } from './month-lists-sql.js';
import { utcDay } from './utc-day.js';

export interface RefreshResult {
  /** Months (domain, dimension, month) recomputed from their daily rows. */
  months: number;
}

/**
 * Recomputes the monthly dimension rows of the ended months (before `now`'s month) that ingest marked stale, from
 * their daily rows, stores their lists ready to send (`lists_json`) and removes the marks. The running month keeps its
 * mark until it ends: breakdowns read its days meanwhile, and recomputing a month that is still being written to
 * would cost a pass over all its days each time. One pass in key order, `batchMonths` marks per transaction.
 *
 * A mark a writer holds locked (it is adding to that month) is skipped and left for the next run. Once a mark is
 * locked here, a writer that reaches it waits, and after this commit marks the month again; so the daily rows read
 * here, in a statement after the lock, hold every write the removed mark stood for.
 */
export async function refreshStaleMonths(ds: DataSource, opts: { now: Date; batchMonths?: number }): Promise<RefreshResult> {
  const currentMonth = `${utcDay(opts.now).slice(0, 8)}01`;
  const batchMonths = opts.batchMonths ?? 100;
  let after: [string, string, string] = ['', '', '0001-01-01'];
  let months = 0;
  for (;;) {
    const picked = await ds.transaction(async (m) => {
      const marks: Array<{ policy_domain: string; dimension: string; month: string }> = await m.query(
        `SELECT policy_domain, dimension, month::text AS month FROM stale_dimension_month
          WHERE (policy_domain, dimension, month) > ($2, $3, $4::date) AND month < $5::date
          ORDER BY policy_domain, dimension, month LIMIT $1
            FOR UPDATE SKIP LOCKED`,
        [batchMonths, ...after, currentMonth],
      );
      if (marks.length) {
        await m.query(RECOMPUTE_MONTHS_SQL, [marks.map((k) => k.policy_domain), marks.map((k) => k.dimension), marks.map((k) => k.month)]);
      }
      return marks;
    });
    if (!picked.length) return { months };
    months += picked.length;
    const last = picked[picked.length - 1];
    after = [last.policy_domain, last.dimension, last.month];
  }
}

// k: the locked marks. A month whose daily rows are all gone (a rebuild or retention removed them) loses its row.
const RECOMPUTE_MONTHS_SQL = `
  WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::date[]) AS k(policy_domain, dimension, month)),
  lists AS (${monthListsFromDaysSql(`
    SELECT d.* FROM k
      JOIN daily_failure_dimension d ON d.policy_domain = k.policy_domain AND d.dimension = k.dimension
       AND d.day >= k.month AND d.day < (k.month + interval '1 month')::date`)}),
  written AS (
    INSERT INTO monthly_failure_dimension AS r (policy_domain, dimension, month, value_list, session_list, lists_json)
    SELECT policy_domain, dimension, month, value_list, session_list, ${LISTS_JSON_SQL}
      FROM lists ORDER BY 1, 2, 3
    ON CONFLICT (policy_domain, dimension, month) DO UPDATE SET
      value_list = EXCLUDED.value_list, session_list = EXCLUDED.session_list, lists_json = EXCLUDED.lists_json),
  emptied AS (
    DELETE FROM monthly_failure_dimension r USING k
     WHERE (r.policy_domain, r.dimension, r.month) = (k.policy_domain, k.dimension, k.month)
       AND NOT EXISTS (SELECT 1 FROM lists l WHERE (l.policy_domain, l.dimension, l.month) = (k.policy_domain, k.dimension, k.month)))
  DELETE FROM stale_dimension_month s USING k WHERE (s.policy_domain, s.dimension, s.month) = (k.policy_domain, k.dimension, k.month)`;
