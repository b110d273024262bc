import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `lists_json`: a month's two lists as one JSON array `[values, sessions]`, ready to send. Formatting 2,000 values and
 * their counts as text is most of what a yearly breakdown costs PostgreSQL (twelve such rows: ~6 of its ~7 ms); a
 * `json` column is sent as stored. `compactClosedMonths` fills it for months that have ended; every write to a
 * month's lists sets it back to NULL in the same statement, so it is either the lists' current form or absent.
 */
export class MonthListsJson1764400000000 implements MigrationInterface {
  name = 'MonthListsJson1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE monthly_failure_dimension ADD COLUMN lists_json json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE monthly_failure_dimension DROP COLUMN lists_json`);
  }
}
