import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per (domain, dimension, day) and per month, holding every value of the dimension in `value_list` and its
 * failed sessions at the same place in `session_list`, instead of one row per value. A 5,000-row report with 5,000
 * sending IPs wrote 5,000 rows and index entries per table; now it writes one row (stored compressed out of line).
 * Breakdowns unnest the arrays of the days and months they need.
 */
const TABLES = [
  ['daily_failure_dimension', 'day'],
  ['monthly_failure_dimension', 'month'],
] as const;

export class PackedFailureDimension1764300000000 implements MigrationInterface {
  name = 'PackedFailureDimension1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, period] of TABLES) {
      await q.query(`ALTER TABLE ${table} RENAME TO ${table}_by_value`);
      await q.query(`ALTER TABLE ${table}_by_value RENAME CONSTRAINT ${table}_pkey TO ${table}_by_value_pkey`);
      await q.query(`
        CREATE TABLE ${table} (
          policy_domain text NOT NULL,
          dimension text NOT NULL,
          ${period} date NOT NULL${period === 'month' ? ' CHECK (extract(day FROM month) = 1)' : ''},
          value_list text[] NOT NULL,
          session_list bigint[] NOT NULL CHECK (cardinality(session_list) = cardinality(value_list)),
          PRIMARY KEY (policy_domain, dimension, ${period})
        )`);
      await q.query(`
        INSERT INTO ${table}
        SELECT policy_domain, dimension, ${period}, array_agg(value), array_agg(sessions)
          FROM ${table}_by_value GROUP BY 1, 2, 3`);
      await q.query(`DROP TABLE ${table}_by_value`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, period] of TABLES) {
      await q.query(`ALTER TABLE ${table} RENAME TO ${table}_packed`);
      await q.query(`ALTER TABLE ${table}_packed RENAME CONSTRAINT ${table}_pkey TO ${table}_packed_pkey`);
      await q.query(`
        CREATE TABLE ${table} (
          policy_domain text NOT NULL,
          dimension text NOT NULL,
          ${period} date NOT NULL${period === 'month' ? ' CHECK (extract(day FROM month) = 1)' : ''},
          value text NOT NULL,
          sessions bigint NOT NULL,
          PRIMARY KEY (policy_domain, dimension, ${period}, value)
        )`);
      await q.query(`
        INSERT INTO ${table}
        SELECT p.policy_domain, p.dimension, p.${period}, u.value, u.sessions
          FROM ${table}_packed p, unnest(p.value_list, p.session_list) AS u(value, sessions)`);
      await q.query(`DROP TABLE ${table}_packed`);
    }
  }
}
