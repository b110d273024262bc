import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Breakdowns read one rollup row per (domain, dimension, day, value) instead of one per combination of all
 * dimensions: each report holds one organization's failures for a day, so the all-dimension rollup was nearly as
 * large as failure_detail itself, while the distinct values of one dimension per domain and day stay few.
 * Dimensions: organization, receiving-mx, receiving-ip, sending-ip, result-type, failure-reason-code ('' = not given).
 */
export class FailureDimensionRollup1764100000000 implements MigrationInterface {
  name = 'FailureDimensionRollup1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE daily_failure_dimension (
        policy_domain text NOT NULL,
        dimension text NOT NULL,
        day date NOT NULL,
        value text NOT NULL,
        sessions bigint NOT NULL,
        PRIMARY KEY (policy_domain, dimension, day, value)
      )`);
    await q.query(`
      INSERT INTO daily_failure_dimension
      SELECT b.policy_domain, d.dimension, b.day, d.value, sum(b.sessions)
        FROM daily_failure_breakdown b
        CROSS JOIN LATERAL (VALUES ('organization', b.organization), ('receiving-mx', b.receiving_mx), ('receiving-ip', b.receiving_ip),
                                   ('sending-ip', b.sending_ip), ('result-type', b.result_type), ('failure-reason-code', b.failure_reason_code)) d(dimension, value)
       GROUP BY 1, 2, 3, 4`);
    await q.query(`DROP TABLE daily_failure_breakdown`);
  }

  async down(q: QueryRunner): Promise<void> {
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
    await q.query(`
      INSERT INTO daily_failure_breakdown
      SELECT lower(p.policy_domain), r.day, coalesce(r.organization_name, r.dedupe_org), f.result_type,
             lower(coalesce(f.receiving_mx_hostname, '')), coalesce(host(f.receiving_ip_inet), f.receiving_ip, ''),
             coalesce(host(f.sending_mta_ip_inet), f.sending_mta_ip, ''), coalesce(f.failure_reason_code, ''),
             sum(f.failed_session_count)
        FROM failure_detail f JOIN report_policy p ON p.id = f.policy_pk JOIN report r ON r.id = f.report_pk
       WHERE p.counts_toward_rates AND p.policy_domain IS NOT NULL
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
    await q.query(`DROP TABLE daily_failure_dimension`);
  }
}
