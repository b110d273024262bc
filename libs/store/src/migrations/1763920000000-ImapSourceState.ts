import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each IMAP source stopped: the highest UID handled under the mailbox's UIDVALIDITY. A different UIDVALIDITY
 * means the UIDs were renumbered, so the source restarts from the beginning (dedupe keeps that safe).
 */
export class ImapSourceState1763920000000 implements MigrationInterface {
  name = 'ImapSourceState1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imap_source_state (
        source_name text PRIMARY KEY,
        folder text NOT NULL,
        uid_validity bigint NOT NULL,
        last_uid bigint NOT NULL DEFAULT 0 CHECK (last_uid >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE imap_source_state`);
  }
}
