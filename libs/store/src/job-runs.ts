import type { DataSource } from 'typeorm';
import { utcDay } from './utc-day.js';

/**
 * Claims the run of `job` for the time slot containing `now` (slots are `intervalMs` long). Exactly one process
 * sharing the database gets `true` for a slot, so a scheduled job runs once across replicas and restarts.
 */
export async function claimJobSlot(ds: DataSource, job: string, intervalMs: number, now: Date, instance: string): Promise<number | null> {
  const slot = Math.floor(now.getTime() / intervalMs);
  const rows: unknown[] = await ds.query(
    `INSERT INTO job_run (job, slot, instance) VALUES ($1, $2, $3) ON CONFLICT (job, slot) DO NOTHING RETURNING slot`,
    [job, slot, instance],
  );
  return rows.length ? slot : null;
}

export async function finishJobSlot(ds: DataSource, job: string, slot: number, outcome: { result?: unknown; error?: string }): Promise<void> {
  await ds.query(`UPDATE job_run SET finished_at = now(), result = $3, error = $4 WHERE job = $1 AND slot = $2`, [
    job,
    slot,
    outcome.result === undefined ? null : JSON.stringify(outcome.result),
    outcome.error ?? null,
  ]);
}

export interface RetentionResult {
  rawMessagesPurged: number;
  failureRowsDeleted: number;
}

/**
 * Applies retention: raw message bytes older than `rawDays` are dropped (the row, its envelope, headers and DKIM
 * verdict stay, so reports keep their provenance); failure details of reports whose period started more than
 * `failureDays` ago are deleted. Rollups and the published-policy history are kept, and so are the raw bytes of
 * anything still in quarantine (it may be re-parsed).
 */
export async function applyRetention(ds: DataSource, opts: { rawDays: number; failureDays: number; now: Date }): Promise<RetentionResult> {
  const day = 86_400_000;
  const rawCutoff = new Date(opts.now.getTime() - opts.rawDays * day);
  const failureCutoff = utcDay(new Date(opts.now.getTime() - opts.failureDays * day));
  const [, raw]: [unknown, number] = await ds.query(
    `UPDATE raw_message m SET bytes = NULL, purged_at = now()
      WHERE m.received_at < $1 AND m.purged_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.raw_message_id = m.id AND q.resolved_at IS NULL)`,
    [rawCutoff],
  );
  const [, failures]: [unknown, number] = await ds.query(`DELETE FROM failure_detail WHERE day < $1`, [failureCutoff]);
  return { rawMessagesPurged: raw, failureRowsDeleted: failures };
}
