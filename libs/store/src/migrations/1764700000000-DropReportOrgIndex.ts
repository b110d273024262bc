import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `report_org_idx` (dedupe_org) duplicated the leading column of the `report_dedupe_key` unique index, which answers
 * every lookup by dedupe_org as well; no query used it, and every stored report paid for one more index entry.
 */
export class DropReportOrgIndex1764700000000 implements MigrationInterface {
  name = 'DropReportOrgIndex1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS report_org_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS report_org_idx ON report (dedupe_org)`);
  }
}
