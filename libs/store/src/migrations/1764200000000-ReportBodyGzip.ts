import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports keep their JSON gzip-compressed (`report_gz`, for a gzip attachment the attachment bytes as received) instead
 * of as text: a 20 MiB report is stored and sent to PostgreSQL as well under 1 MiB, and the server never builds
 * the escaped copies of a 20 MiB text parameter. Rows stored before keep their `report_text`; readers use whichever
 * is set.
 */
export class ReportBodyGzip1764200000000 implements MigrationInterface {
  name = 'ReportBodyGzip1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE report
        ADD COLUMN report_gz bytea,
        ALTER COLUMN report_text DROP NOT NULL,
        ADD CONSTRAINT report_body_present CHECK (report_text IS NOT NULL OR report_gz IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report DROP CONSTRAINT report_body_present, DROP COLUMN report_gz`);
  }
}
