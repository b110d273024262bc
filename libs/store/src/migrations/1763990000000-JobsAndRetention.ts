import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobsAndRetention1763990000000 implements MigrationInterface {
  name = 'JobsAndRetention1763990000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per (job, time slot): whichever process inserts it runs the job; the others skip that slot.
    await q.query(`
      CREATE TABLE job_run (
        job text NOT NULL,
        slot bigint NOT NULL,
        instance text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        error text,
        result jsonb,
        PRIMARY KEY (job, slot)
      )`);
    await q.query(`ALTER TABLE raw_message ALTER COLUMN bytes DROP NOT NULL`);
    await q.query(`ALTER TABLE raw_message ADD COLUMN purged_at timestamptz`);
    await q.query(`CREATE INDEX raw_message_received_idx ON raw_message (received_at) WHERE purged_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS raw_message_received_idx`);
    await q.query(`ALTER TABLE raw_message DROP COLUMN purged_at`);
    await q.query(`UPDATE raw_message SET bytes = '' WHERE bytes IS NULL`);
    await q.query(`ALTER TABLE raw_message ALTER COLUMN bytes SET NOT NULL`);
    await q.query(`DROP TABLE job_run`);
  }
}
