import type { DataSource, QueryRunner } from 'typeorm';

/** Where a source stopped: UIDs are only meaningful under the UIDVALIDITY they were read with (RFC 9051 §2.3.1.1). */
export interface SourcePosition {
  folder: string;
  uidValidity: bigint;
  lastUid: number;
}

export interface SourceStateStore {
  load(sourceName: string): Promise<SourcePosition | null>;
  save(sourceName: string, position: SourcePosition): Promise<void>;
}

/** One dedicated connection holding `pg_try_advisory_lock`; released (or dropped with the connection) by `release`. */
export interface SourceLock {
  release(): Promise<void>;
}

export function pgSourceStateStore(ds: DataSource): SourceStateStore {
  return {
    async load(sourceName) {
      const rows: Array<{ folder: string; uid_validity: string; last_uid: string }> = await ds.query(
        `SELECT folder, uid_validity, last_uid FROM imap_source_state WHERE source_name = $1`,
        [sourceName],
      );
      if (!rows.length) return null;
      return { folder: rows[0].folder, uidValidity: BigInt(rows[0].uid_validity), lastUid: Number(rows[0].last_uid) };
    },
    async save(sourceName, p) {
      await ds.query(
        `INSERT INTO imap_source_state (source_name, folder, uid_validity, last_uid, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (source_name) DO UPDATE SET folder = EXCLUDED.folder, uid_validity = EXCLUDED.uid_validity,
           last_uid = EXCLUDED.last_uid, updated_at = now()`,
        [sourceName, p.folder, p.uidValidity.toString(), p.lastUid],
      );
    },
  };
}

/**
 * One process per source, across every server and CLI process on the same database. The lock lives on its own
 * connection (advisory locks are per session), so pool connections used for ingest never carry it.
 */
export async function tryLockSource(ds: DataSource, sourceName: string): Promise<SourceLock | null> {
  const runner: QueryRunner = ds.createQueryRunner();
  await runner.connect();
  try {
    const rows: Array<{ locked: boolean }> = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [`imap:${sourceName}`]);
    if (!rows[0]?.locked) {
      await runner.release();
      return null;
    }
  } catch (err) {
    await runner.release();
    throw err;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`imap:${sourceName}`]);
      } finally {
        await runner.release();
      }
    },
  };
}
