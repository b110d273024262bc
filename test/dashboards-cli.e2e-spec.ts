import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';

// Spawns the built CLI (npm run build first), against a fresh database.
describe('sts-pilot dev seed, rollups rebuild, refresh and compact (built CLI)', () => {
  let db: TestDatabase;
  const cli = (...args: string[]) =>
    spawnSync('node', ['bin/sts-pilot.js', ...args], { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' }, encoding: 'utf8' });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('dev seed --json reports what it wrote; rollups rebuild recomputes the same rows', () => {
    const seed = cli('dev', 'seed', '--domains', '2', '--days', '7', '--failures', '500', '--end-day', '2024-04-07', '--json');
    expect(seed.stderr).toBe('');
    expect(seed.status).toBe(0);
    const seeded = JSON.parse(seed.stdout);
    expect(seeded).toMatchObject({ reports: 2 * 7 * 4, failureRows: 500, from: '2024-04-01', to: '2024-04-07', rollups: { policyRows: 56, keptFailureDays: [] } });
    const rebuild = cli('rollups', 'rebuild', '--json');
    expect(rebuild.status).toBe(0);
    expect(JSON.parse(rebuild.stdout)).toEqual(seeded.rollups);
    const oneDay = JSON.parse(cli('rollups', 'rebuild', '--from', '2024-04-07', '--to', '2024-04-07', '--json').stdout);
    expect(oneDay.policyRows).toBe(8); // 2 domains × 4 organizations
    const text = cli('rollups', 'rebuild', '--from', '2024-04-07', '--to', '2024-04-07');
    expect(text.stdout).toBe(`Rebuilt rollups: 8 policy row(s), ${oneDay.failureRows} failure row(s), ${oneDay.dimensionRows} dimension value(s).\n`);
  });

  it('rollups compact stores the lists of ended months once (April 2024 has ended: 2 domains × 6 dimensions)', () => {
    const first = cli('rollups', 'compact', '--json');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ months: 12 });
    expect(cli('rollups', 'compact').stdout).toBe('Compacted 0 month row(s) of ended months.\n');
  });

  it('rollups refresh recomputes the months marked stale and clears the marks', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      // A mark as ingest leaves it, on a month whose row no longer matches its days.
      await c.query(`UPDATE monthly_failure_dimension SET session_list = array_fill(0::bigint, ARRAY[cardinality(value_list)]) WHERE dimension = 'sending-ip'`);
      await c.query(`INSERT INTO stale_dimension_month SELECT policy_domain, dimension, month FROM monthly_failure_dimension WHERE dimension = 'sending-ip'`);
      const refresh = cli('rollups', 'refresh', '--json');
      expect(refresh.stderr).toBe('');
      expect(JSON.parse(refresh.stdout)).toEqual({ months: 2 });
      const { rows } = await c.query(
        `SELECT (SELECT count(*)::int FROM stale_dimension_month) AS marks,
                (SELECT sum(s)::int FROM monthly_failure_dimension, unnest(session_list) s WHERE dimension = 'sending-ip') AS monthly,
                (SELECT sum(s)::int FROM daily_failure_dimension, unnest(session_list) s WHERE dimension = 'sending-ip') AS daily`,
      );
      expect(rows[0].marks).toBe(0);
      expect(rows[0].monthly).toBe(rows[0].daily);
      expect(rows[0].daily).toBeGreaterThan(0);
      expect(cli('rollups', 'refresh').stdout).toBe('Refreshed 0 month row(s) of ended months from their days.\n');
    } finally {
      await c.end();
    }
  });

  it('bad arguments exit 2 with the option named', () => {
    const bad = cli('rollups', 'rebuild', '--from', '2024-13-01');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--from');
    const reversed = cli('rollups', 'rebuild', '--from', '2024-04-02', '--to', '2024-04-01');
    expect(reversed.status).toBe(2);
    const seed = cli('dev', 'seed', '--domains', 'many');
    expect(seed.status).toBe(2);
    expect(seed.stderr).toContain('--domains');
  });
});
