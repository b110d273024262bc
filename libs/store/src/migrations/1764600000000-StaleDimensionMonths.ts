import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ingest no longer merges every report into its month's dimension rows (a month row holds every value of the month,
 * so each report rewrote all of it). It marks the month here instead, in the transaction that adds to the daily rows;
 * `refreshStaleMonths` recomputes marked months from their daily rows and removes the mark, and until then a
 * breakdown reads the month's daily rows.
 */
export class StaleDimensionMonths1764600000000 implements MigrationInterface {
  name = 'StaleDimensionMonths1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stale_dimension_month (
        policy_domain text NOT NULL,
        dimension text NOT NULL,
        month date NOT NULL,
        PRIMARY KEY (policy_domain, dimension, month)
      )`);
  }

  /** The marked months are recomputed first: the schema below keeps month rows current at ingest. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      WITH sums AS (
        SELECT s.policy_domain, s.dimension, s.month, u.value COLLATE "C" AS value, least(sum(u.sessions), 9007199254740991)::bigint AS sessions
          FROM stale_dimension_month s
          JOIN daily_failure_dimension d ON d.policy_domain = s.policy_domain AND d.dimension = s.dimension
           AND d.day >= s.month AND d.day < (s.month + interval '1 month')::date,
               unnest(d.value_list, d.session_list) AS u(value, sessions)
         GROUP BY 1, 2, 3, 4)
      INSERT INTO monthly_failure_dimension (policy_domain, dimension, month, value_list, session_list)
      SELECT policy_domain, dimension, month, array_agg(value), array_agg(sessions) FROM sums GROUP BY 1, 2, 3
      ON CONFLICT (policy_domain, dimension, month) DO UPDATE SET
        value_list = EXCLUDED.value_list, session_list = EXCLUDED.session_list, lists_json = NULL`);
    await q.query(`DROP TABLE stale_dimension_month`);
  }
}
