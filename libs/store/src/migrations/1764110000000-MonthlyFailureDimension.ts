import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly totals of daily_failure_dimension (month = first day of the UTC month). A yearly breakdown by sending IP
 * reads twelve months of distinct values instead of 365 days of them; the days at the edges of a period that do not
 * cover whole months still come from the daily table.
 */
export class MonthlyFailureDimension1764110000000 implements MigrationInterface {
  name = 'MonthlyFailureDimension1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monthly_failure_dimension (
        policy_domain text NOT NULL,
        dimension text NOT NULL,
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        value text NOT NULL,
        sessions bigint NOT NULL,
        PRIMARY KEY (policy_domain, dimension, month, value)
      )`);
    await q.query(`
      INSERT INTO monthly_failure_dimension
      SELECT policy_domain, dimension, date_trunc('month', day)::date, value, sum(sessions)
        FROM daily_failure_dimension GROUP BY 1, 2, 3, 4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE monthly_failure_dimension`);
  }
}
