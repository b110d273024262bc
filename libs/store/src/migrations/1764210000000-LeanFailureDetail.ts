import type { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = `policy_domain, day, result_type, failed_session_count, sending_mta_ip, sending_mta_ip_inet, receiving_ip,
  receiving_ip_inet, receiving_mx_hostname, receiving_mx_helo, additional_information, failure_reason_code`;

/**
 * failure_detail is written at tens of thousands of rows per second, and its two per-row FOREIGN KEY triggers, a
 * bigserial and three btrees cost five times the rows themselves. Now:
 * - key (policy_pk, position): the row's place in its policy's failure-details, so a report reads back in the order it
 *   was sent; report detail, export and alerts reach rows through their policy ids (report_policy is small);
 * - BRIN on day (day follows arrival): retention, rollup rebuild and the export's period filter;
 * - no FOREIGN KEYs: rows are written in the transaction that inserts their report and policies, and nothing deletes
 *   reports or policies (retention deletes failure rows by day; a manual report delete must delete its rows first).
 */
export class LeanFailureDetail1764210000000 implements MigrationInterface {
  name = 'LeanFailureDetail1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE failure_detail_lean (
        report_pk bigint NOT NULL,
        policy_pk bigint NOT NULL,
        position integer NOT NULL,
        policy_domain text,
        day date NOT NULL,
        result_type text NOT NULL,
        failed_session_count bigint NOT NULL,
        sending_mta_ip text,
        sending_mta_ip_inet inet,
        receiving_ip text,
        receiving_ip_inet inet,
        receiving_mx_hostname text,
        receiving_mx_helo text,
        additional_information text,
        failure_reason_code text
      )`);
    await q.query(`
      INSERT INTO failure_detail_lean (report_pk, policy_pk, position, ${COLUMNS})
      SELECT report_pk, policy_pk, (row_number() OVER (PARTITION BY policy_pk ORDER BY id) - 1)::int, ${COLUMNS}
        FROM failure_detail ORDER BY id`);
    await q.query(`DROP TABLE failure_detail`);
    await q.query(`ALTER TABLE failure_detail_lean RENAME TO failure_detail`);
    await q.query(`ALTER TABLE failure_detail ADD CONSTRAINT failure_detail_pkey PRIMARY KEY (policy_pk, position)`);
    await q.query(`CREATE INDEX failure_detail_day_brin ON failure_detail USING brin (day)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE failure_detail RENAME TO failure_detail_lean`);
    await q.query(`ALTER INDEX failure_detail_pkey RENAME TO failure_detail_lean_pkey`);
    await q.query(`
      CREATE TABLE failure_detail (
        id bigserial PRIMARY KEY,
        report_pk bigint NOT NULL REFERENCES report (id) ON DELETE CASCADE,
        policy_pk bigint NOT NULL REFERENCES report_policy (id) ON DELETE CASCADE,
        policy_domain text,
        day date NOT NULL,
        result_type text NOT NULL,
        failed_session_count bigint NOT NULL,
        sending_mta_ip text,
        sending_mta_ip_inet inet,
        receiving_ip text,
        receiving_ip_inet inet,
        receiving_mx_hostname text,
        receiving_mx_helo text,
        additional_information text,
        failure_reason_code text
      )`);
    await q.query(`
      INSERT INTO failure_detail (report_pk, policy_pk, ${COLUMNS})
      SELECT report_pk, policy_pk, ${COLUMNS} FROM failure_detail_lean ORDER BY policy_pk, position`);
    await q.query(`DROP TABLE failure_detail_lean`);
    await q.query(`CREATE INDEX failure_detail_report_idx ON failure_detail (report_pk)`);
    await q.query(`CREATE INDEX failure_detail_domain_day_idx ON failure_detail (policy_domain, day)`);
  }
}
