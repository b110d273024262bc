import { describe, expect, it } from 'vitest';
import { undoMigrationsFrom, useTestDataSource } from './support/database.js';

const indexes = async (query: (sql: string) => Promise<Array<{ indexname: string }>>) =>
  (await query(`SELECT indexname FROM pg_indexes WHERE indexname IN ('raw_message_sha256_idx', 'quarantine_raw_sha256_idx') ORDER BY 1`)).map(
    (r) => r.indexname,
  );

// QuarantineDedupeKey moves the bytes' hash that quarantine-only messages are deduped on from an index over every raw
// message to the quarantine rows: rows quarantined before it get the hash of their message.
describe('migration QuarantineDedupeKey', () => {
  const ds = useTestDataSource();

  it('gives each quarantine row its message hash on the way up and puts the raw_message index back on the way down', async () => {
    await undoMigrationsFrom(ds(), 'QuarantineDedupeKey1764800000000');
    expect(await indexes((sql) => ds().query(sql))).toEqual(['raw_message_sha256_idx']);
    const [m] = await ds().query(
      `INSERT INTO raw_message (source, sha256, size_bytes, bytes, headers, dkim_result)
       VALUES ('smtp', sha256('not a report'::bytea), 12, 'not a report'::bytea, '{}', 'none') RETURNING id`,
    );
    await ds().query(`INSERT INTO quarantine (raw_message_id, part_index, reason_code, reason) VALUES ($1, 0, 'NOT_JSON', 'x'), ($1, 1, 'NOT_JSON', 'y')`, [m.id]);

    await ds().runMigrations({ transaction: 'each' });
    expect(await indexes((sql) => ds().query(sql))).toEqual(['quarantine_raw_sha256_idx']);
    const rows = await ds().query(`SELECT q.raw_sha256 = r.sha256 AS same FROM quarantine q JOIN raw_message r ON r.id = q.raw_message_id`);
    expect(rows).toEqual([{ same: true }, { same: true }]);
    await expect(ds().query(`INSERT INTO quarantine (raw_message_id, reason_code, reason) VALUES ($1, 'NOT_JSON', 'z')`, [m.id])).rejects.toThrow(
      /raw_sha256/,
    );

    await undoMigrationsFrom(ds(), 'QuarantineDedupeKey1764800000000');
    expect(await indexes((sql) => ds().query(sql))).toEqual(['raw_message_sha256_idx']);
    expect(await ds().query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'quarantine' AND column_name = 'raw_sha256'`)).toEqual([{ n: 0 }]);
    await ds().runMigrations({ transaction: 'each' });
  });
});
