import type pg from 'pg';
import { loadReportMail } from './retrying-senders.js';

/**
 * What the database must hold after `count` load reports were each acknowledged: every report once with its exact
 * counts, no raw message without a report or quarantine row, and rollups equal to the sums of the detail rows.
 */
export async function storeConsistency(db: pg.Client | pg.Pool, count: number) {
  const expected = Array.from({ length: count }, (_, i) => loadReportMail(i));
  const { rows: perReport } = await db.query(
    `SELECT r.report_id, count(*) OVER (PARTITION BY r.report_id)::int AS copies,
            p.successful_sessions::int AS ok, p.failed_sessions::int AS failed,
            (SELECT coalesce(sum(f.failed_session_count), 0)::int FROM failure_detail f WHERE f.report_pk = r.id) AS detail_failed
       FROM report r JOIN report_policy p ON p.report_pk = r.id`,
  );
  const byId = new Map(perReport.map((r) => [r.report_id as string, r]));
  const wrong = expected
    .filter((e) => {
      const row = byId.get(e.reportId);
      return !row || row.copies !== 1 || row.ok !== e.ok || row.failed !== e.failed || row.detail_failed !== e.failed;
    })
    .map((e) => ({ reportId: e.reportId, stored: byId.get(e.reportId) ?? null }));
  const {
    rows: [totals],
  } = await db.query(
    `SELECT (SELECT count(*)::int FROM report) AS reports,
            (SELECT count(*)::int FROM raw_message m
              WHERE NOT EXISTS (SELECT 1 FROM report r WHERE r.raw_message_id = m.id)
                AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.raw_message_id = m.id)) AS orphan_raw_messages,
            (SELECT count(*)::int FROM quarantine) AS quarantined,
            (SELECT coalesce(sum(successful_sessions), 0)::bigint::text FROM report_policy) AS policy_ok,
            (SELECT coalesce(sum(successful_sessions), 0)::bigint::text FROM daily_policy_rollup) AS rollup_ok,
            (SELECT coalesce(sum(failed_sessions), 0)::bigint::text FROM report_policy) AS policy_failed,
            (SELECT coalesce(sum(failed_sessions), 0)::bigint::text FROM daily_policy_rollup) AS rollup_failed,
            (SELECT coalesce(sum(reports), 0)::int FROM daily_policy_rollup) AS rollup_reports,
            (SELECT coalesce(sum(failed_session_count), 0)::bigint::text FROM failure_detail) AS detail_failed,
            (SELECT coalesce(sum(sessions), 0)::bigint::text FROM daily_failure_rollup) AS failure_rollup`,
  );
  return {
    wrong,
    totals,
    expectedTotals: {
      reports: count,
      ok: String(expected.reduce((a, e) => a + e.ok, 0)),
      failed: String(expected.reduce((a, e) => a + e.failed, 0)),
    },
  };
}
