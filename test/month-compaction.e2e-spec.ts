import { compactClosedMonths } from '@app/store';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../apps/cli/src/commands/dev-seed.command.js';
import { BREAKDOWN_DIMENSIONS } from '../apps/server/src/dashboards/dashboards.query.js';
import { SchedulerService } from '../apps/server/src/scheduler/scheduler.service.js';
import { breakdownAnswers } from './support/breakdown-answers.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

// Seeded 2024-01-31 … 2024-03-10; "now" is in March, so January and February have ended and March has not.
const NOW = new Date('2024-03-15T12:00:00Z');

describe('month compaction: ended months sent as stored, answers unchanged', () => {
  let app: TestApp;
  let ds: DataSource;
  let db: pg.Pool;
  const answers = () => breakdownAnswers(app, 'seed-1.example');
  const compactedMonths = async () =>
    (await db.query(`SELECT policy_domain, dimension, month::text FROM monthly_failure_dimension WHERE lists_json IS NOT NULL ORDER BY 1, 2, 3`)).rows;

  beforeAll(async () => {
    app = await bootTestApp();
    ds = app.server.app.get(DataSource);
    db = new pg.Pool({ connectionString: app.db.url, max: 3 });
    await seedDatabase(ds, { domains: 2, days: 40, failures: 6_000, endDay: '2024-03-10' });
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('compacts every row of the ended months, none of the current one, and the breakdowns answer the same', async () => {
    const before = await answers();
    const { rows: ended } = await db.query(`SELECT policy_domain, dimension, month::text FROM monthly_failure_dimension WHERE month < '2024-03-01' ORDER BY 1, 2, 3`);
    expect(ended).toHaveLength(2 * 2 * BREAKDOWN_DIMENSIONS.length); // two domains, January and February

    // One row per statement: the walk in key order reaches every row.
    expect(await compactClosedMonths(ds, { now: NOW, batchRows: 1 })).toEqual({ months: ended.length });
    expect(await compactedMonths()).toEqual(ended);
    const { rows: stale } = await db.query(`SELECT count(*)::int AS n FROM monthly_failure_dimension WHERE lists_json::text <> json_build_array(value_list, session_list)::text`);
    expect(stale[0].n).toBe(0);
    expect(await answers()).toEqual(before);
    expect(await compactClosedMonths(ds, { now: NOW })).toEqual({ months: 0 });
  });

  it('skips a row a writer holds instead of waiting for it, and compacts it on the next run', async () => {
    await db.query(`UPDATE monthly_failure_dimension SET lists_json = NULL`);
    const writer = await db.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`SELECT 1 FROM monthly_failure_dimension WHERE policy_domain = 'seed-2.example' AND dimension = 'sending-ip' AND month = '2024-02-01' FOR UPDATE`);
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM monthly_failure_dimension WHERE month < '2024-03-01'`);
      const run = compactClosedMonths(ds, { now: NOW, batchRows: 5 });
      const waited = new Promise((resolve) => setTimeout(() => resolve('waited for the lock'), 10_000));
      expect(await Promise.race([run, waited])).toEqual({ months: rows[0].n - 1 });
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    expect(await compactClosedMonths(ds, { now: NOW })).toEqual({ months: 1 });
  });

  it("the server's scheduled job compacts (by the wall clock every seeded month has ended, March too)", async () => {
    await db.query(`UPDATE monthly_failure_dimension SET lists_json = NULL`);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM monthly_failure_dimension`);
    expect(await app.server.app.get(SchedulerService).tick()).toContain('month-compaction');
    const { rows: runs } = await db.query(`SELECT result FROM job_run WHERE job = 'month-compaction'`);
    expect(runs).toEqual([{ result: { months: rows[0].n } }]);
    expect(await compactedMonths()).toHaveLength(rows[0].n);
  });
});
