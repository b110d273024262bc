import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Watched domains, their stored live checks, the published-policy log (ROLL-1), transitions (ROLL-2), advice and policy fetches. */
export class RolloutSchema1763900000000 implements MigrationInterface {
  name = 'RolloutSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE watched_domain (
        id bigserial PRIMARY KEY,
        domain text NOT NULL UNIQUE CHECK (domain = lower(domain)),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE domain_check (
        id bigserial PRIMARY KEY,
        domain_id bigint NOT NULL REFERENCES watched_domain (id) ON DELETE CASCADE,
        checked_at timestamptz NOT NULL,
        summary jsonb NOT NULL,
        findings jsonb NOT NULL,
        observed jsonb NOT NULL,
        details jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX domain_check_domain_idx ON domain_check (domain_id, checked_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE published_policy (
        id bigserial PRIMARY KEY,
        domain_id bigint NOT NULL REFERENCES watched_domain (id) ON DELETE CASCADE,
        txt text NOT NULL,
        policy_id text NOT NULL,
        body_hash text NOT NULL,
        body text NOT NULL,
        mode text,
        max_age bigint,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX published_policy_domain_idx ON published_policy (domain_id, first_seen, id)`);
    await q.query(`
      CREATE TABLE policy_transition (
        id bigserial PRIMARY KEY,
        domain_id bigint NOT NULL REFERENCES watched_domain (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('pending', 'completed', 'expired', 'superseded')),
        verdict text NOT NULL,
        policy_id text NOT NULL,
        body text NOT NULL,
        txt text NOT NULL,
        tlsrpt_txt text,
        mode text NOT NULL,
        max_age bigint NOT NULL,
        created_at timestamptz NOT NULL,
        deadline timestamptz NOT NULL,
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX policy_transition_domain_idx ON policy_transition (domain_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE advice_record (
        id bigserial PRIMARY KEY,
        domain_id bigint NOT NULL REFERENCES watched_domain (id) ON DELETE CASCADE,
        computed_at timestamptz NOT NULL,
        trigger text NOT NULL,
        check_id bigint REFERENCES domain_check (id) ON DELETE SET NULL,
        state text NOT NULL,
        verdict text NOT NULL,
        advice jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX advice_record_domain_idx ON advice_record (domain_id, computed_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE policy_fetch_log (
        id bigserial PRIMARY KEY,
        domain_id bigint NOT NULL REFERENCES watched_domain (id) ON DELETE CASCADE,
        fetched_at timestamptz NOT NULL,
        client_ip text,
        user_agent text,
        host text NOT NULL,
        policy_id text
      )`);
    await q.query(`CREATE INDEX policy_fetch_log_domain_idx ON policy_fetch_log (domain_id, fetched_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE policy_fetch_log`);
    await q.query(`DROP TABLE advice_record`);
    await q.query(`DROP TABLE policy_transition`);
    await q.query(`DROP TABLE published_policy`);
    await q.query(`DROP TABLE domain_check`);
    await q.query(`DROP TABLE watched_domain`);
  }
}
