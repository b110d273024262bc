import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dashboard rollups: failed sessions per (domain, day, organization, result type, receiving MX, receiving IP,
 * sending IP, failure-reason code), so breakdowns never aggregate failure_detail on request; and the latest
 * receipt time per daily_policy_rollup row for the domains overview. Absent values are stored as '' (key columns).
 * Existing data is backfilled with the same rules as `rebuildRollups`.
 */
export class FailureBreakdownRollup1763950000000 implements MigrationInterface {
  name = 'FailureBreakdownRollup1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE daily_failure_breakdown (
        policy_domain text NOT NULL,
        day date NOT NULL,
        organization text NOT NULL,
        result_type text NOT NULL,
        receiving_mx text NOT NULL,
        receiving_ip text NOT NULL,
        sending_ip text NOT NULL,
        failure_reason_code text NOT NULL,
        sessions bigint NOT NULL,
        PRIMARY KEY (policy_domain, day, organization, result_type, receiving_mx, receiving_ip, sending_ip, failure_reason_code)
      )`);
    await q.query(`ALTER TABLE daily_policy_rollup ADD COLUMN last_received_at timestamptz`);
    await q.query(`
      INSERT INTO daily_failure_breakdown
      SELECT lower(p.policy_domain), r.day, coalesce(r.organization_name, r.dedupe_org), f.result_type,
             lower(coalesce(f.receiving_mx_hostname, '')), coalesce(host(f.receiving_ip_inet), f.receiving_ip, ''),
             coalesce(host(f.sending_mta_ip_inet), f.sending_mta_ip, ''), coalesce(f.failure_reason_code, ''),
             sum(f.failed_session_count)
        FROM failure_detail f JOIN report_policy p ON p.id = f.policy_pk JOIN report r ON r.id = f.report_pk
       WHERE p.counts_toward_rates AND p.policy_domain IS NOT NULL
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
    await q.query(`
      UPDATE daily_policy_rollup d SET last_received_at = x.last
        FROM (SELECT lower(p.policy_domain) AS domain, r.day, coalesce(r.organization_name, r.dedupe_org) AS org,
                     p.policy_type, max(r.received_at) AS last
                FROM report_policy p JOIN report r ON r.id = p.report_pk
               WHERE p.counts_toward_rates AND p.policy_domain IS NOT NULL
               GROUP BY 1, 2, 3, 4) x
       WHERE d.policy_domain = x.domain AND d.day = x.day AND d.organization = x.org AND d.policy_type = x.policy_type`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE daily_policy_rollup DROP COLUMN last_received_at`);
    await q.query(`DROP TABLE daily_failure_breakdown`);
  }
}
