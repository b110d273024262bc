import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Alerts1764050000000 implements MigrationInterface {
  name = 'Alerts1764050000000';

  async up(q: QueryRunner): Promise<void> {
    // Alerts and daily digests as sent: (domain, kind, subject) is the suppression key, deliveries record each channel.
    await q.query(`
      CREATE TABLE alert (
        id bigserial PRIMARY KEY,
        domain text NOT NULL,
        kind text NOT NULL,
        subject text NOT NULL,
        message text NOT NULL,
        evidence jsonb NOT NULL,
        link text NOT NULL,
        created_at timestamptz NOT NULL,
        deliveries jsonb NOT NULL DEFAULT '[]'
      )`);
    await q.query(`CREATE INDEX alert_key_idx ON alert (domain, kind, subject, created_at DESC)`);
    await q.query(`CREATE INDEX alert_created_idx ON alert (created_at DESC, id DESC)`);
    // Per domain: what the last alert evaluation had already looked at (reports up to a pk, the verdict then).
    await q.query(`
      CREATE TABLE alert_scan (
        domain text PRIMARY KEY,
        last_report_pk bigint NOT NULL,
        last_verdict text,
        scanned_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_scan`);
    await q.query(`DROP TABLE alert`);
  }
}
