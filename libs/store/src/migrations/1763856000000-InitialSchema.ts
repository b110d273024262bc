import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763856000000 implements MigrationInterface {
  name = 'InitialSchema1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE raw_message (
        id bigserial PRIMARY KEY,
        received_at timestamptz NOT NULL DEFAULT now(),
        source text NOT NULL CHECK (source IN ('smtp', 'https', 'import') OR source LIKE 'imap:%'),
        sha256 bytea NOT NULL,
        size_bytes integer NOT NULL,
        bytes bytea NOT NULL,
        envelope jsonb NOT NULL DEFAULT '{}',
        headers jsonb NOT NULL DEFAULT '{}',
        dkim_result text NOT NULL CHECK (dkim_result IN ('pass', 'fail', 'none', 'temperror', 'not-verified')),
        dkim_aligned boolean NOT NULL DEFAULT false,
        dkim_domain text,
        dkim_reason text,
        dkim_checked_at timestamptz
      )`);
    await q.query(`CREATE INDEX raw_message_sha256_idx ON raw_message (sha256)`);
    await q.query(`
      CREATE TABLE report (
        id bigserial PRIMARY KEY,
        raw_message_id bigint NOT NULL REFERENCES raw_message (id),
        dedupe_org text NOT NULL,
        organization_name text,
        submitter_domain text,
        report_id text NOT NULL,
        date_start timestamptz NOT NULL,
        date_end timestamptz NOT NULL,
        day date NOT NULL,
        contact_info text,
        warnings jsonb NOT NULL DEFAULT '[]',
        report_text text NOT NULL,
        authenticated boolean NOT NULL,
        source text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        duplicate_deliveries integer NOT NULL DEFAULT 0,
        CONSTRAINT report_dedupe_key UNIQUE (dedupe_org, report_id, date_start, date_end)
      )`);
    await q.query(`CREATE INDEX report_received_idx ON report (received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX report_org_idx ON report (dedupe_org)`);
    await q.query(`
      CREATE TABLE report_policy (
        id bigserial PRIMARY KEY,
        report_pk bigint NOT NULL REFERENCES report (id) ON DELETE CASCADE,
        position integer NOT NULL,
        policy_type text NOT NULL,
        policy_domain text,
        policy_string text[] NOT NULL DEFAULT '{}',
        mx_host text[] NOT NULL DEFAULT '{}',
        successful_sessions bigint NOT NULL,
        failed_sessions bigint NOT NULL,
        counts_toward_rates boolean NOT NULL
      )`);
    await q.query(`CREATE INDEX report_policy_report_idx ON report_policy (report_pk)`);
    await q.query(`CREATE INDEX report_policy_domain_idx ON report_policy (policy_domain)`);
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
    await q.query(`CREATE INDEX failure_detail_report_idx ON failure_detail (report_pk)`);
    await q.query(`CREATE INDEX failure_detail_domain_day_idx ON failure_detail (policy_domain, day)`);
    await q.query(`
      CREATE TABLE quarantine (
        id bigserial PRIMARY KEY,
        raw_message_id bigint NOT NULL REFERENCES raw_message (id),
        part_index integer,
        reason_code text NOT NULL,
        reason text NOT NULL,
        report_text text,
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolved_report_pk bigint REFERENCES report (id)
      )`);
    await q.query(`CREATE INDEX quarantine_open_idx ON quarantine (created_at DESC) WHERE resolved_at IS NULL`);
    await q.query(`
      CREATE TABLE daily_policy_rollup (
        policy_domain text NOT NULL,
        day date NOT NULL,
        organization text NOT NULL,
        policy_type text NOT NULL,
        successful_sessions bigint NOT NULL,
        failed_sessions bigint NOT NULL,
        reports integer NOT NULL,
        PRIMARY KEY (policy_domain, day, organization, policy_type)
      )`);
    await q.query(`
      CREATE TABLE daily_failure_rollup (
        policy_domain text NOT NULL,
        day date NOT NULL,
        organization text NOT NULL,
        result_type text NOT NULL,
        receiving_mx text NOT NULL,
        sessions bigint NOT NULL,
        PRIMARY KEY (policy_domain, day, organization, result_type, receiving_mx)
      )`);
    await q.query(`
      CREATE TABLE api_token (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('read', 'admin')),
        token_hash bytea NOT NULL UNIQUE,
        token_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'api_token',
      'daily_failure_rollup',
      'daily_policy_rollup',
      'quarantine',
      'failure_detail',
      'report_policy',
      'report',
      'raw_message',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
