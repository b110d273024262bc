import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';

// Spawns the built CLI (npm run build first), against a fresh database.
describe('sts-pilot dev seed, rollups rebuild and compact (built CLI)', () => {
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
