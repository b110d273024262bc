import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message that holds only unparseable parts is deduped on its bytes' SHA-256 against messages quarantined before.
 * That lookup used `raw_message_sha256_idx`, an index over every raw message on a random key, though only quarantined
 * messages are ever looked up: each stored report paid ~80 bytes of index and ~130 bytes of WAL for it (bench
 * reports). The key now sits on the quarantine rows themselves (`raw_sha256`, the hash of the message the part came
 * from), indexed there.
 */
export class QuarantineDedupeKey1764800000000 implements MigrationInterface {
  name = 'QuarantineDedupeKey1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE quarantine ADD COLUMN raw_sha256 bytea`);
    await q.query(`UPDATE quarantine q SET raw_sha256 = m.sha256 FROM raw_message m WHERE m.id = q.raw_message_id`);
    await q.query(`ALTER TABLE quarantine ALTER COLUMN raw_sha256 SET NOT NULL`);
    await q.query(`CREATE INDEX quarantine_raw_sha256_idx ON quarantine (raw_sha256)`);
    await q.query(`DROP INDEX IF EXISTS raw_message_sha256_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS raw_message_sha256_idx ON raw_message (sha256)`);
    await q.query(`DROP INDEX IF EXISTS quarantine_raw_sha256_idx`);
    await q.query(`ALTER TABLE quarantine DROP COLUMN raw_sha256`);
  }
}
