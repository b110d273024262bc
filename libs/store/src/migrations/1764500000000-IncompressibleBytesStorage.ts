import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `report.report_gz` is gzip, and `raw_message.bytes` is a mail whose report travels as base64 of gzip: PostgreSQL's
 * pglz never shrinks either by the 25 % it requires, so every insert spent CPU on a compression it then threw away
 * (about 1.5 ms of PostgreSQL's ~25 ms per 5,000-row report). EXTERNAL stores them out of line as before, without the
 * attempt. Only new values are affected; a rare mail sent as plain JSON is now kept uncompressed.
 */
export class IncompressibleBytesStorage1764500000000 implements MigrationInterface {
  name = 'IncompressibleBytesStorage1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report ALTER COLUMN report_gz SET STORAGE EXTERNAL`);
    await q.query(`ALTER TABLE raw_message ALTER COLUMN bytes SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report ALTER COLUMN report_gz SET STORAGE EXTENDED`);
    await q.query(`ALTER TABLE raw_message ALTER COLUMN bytes SET STORAGE EXTENDED`);
  }
}
