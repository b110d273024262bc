import { describe, expect, it } from 'vitest';
import { migrationsFrom, undoMigrationsFrom, useTestDataSource } from './support/database.js';

// The migration that packs the dimension rollups into one row per group keeps every value and its sessions, and its
// down() gives the row-per-value tables back.
describe('migration PackedFailureDimension', () => {
  const ds = useTestDataSource();

  const byValue = (table: string, period: string) =>
    ds().query(`SELECT policy_domain, dimension, ${period}::text AS ${period}, value, sessions::int FROM ${table} ORDER BY 1, 2, 3, 4`);
  const unpacked = (table: string, period: string) =>
    ds().query(
      `SELECT r.policy_domain, r.dimension, r.${period}::text AS ${period}, u.value, u.sessions::int
         FROM ${table} r, unnest(r.value_list, r.session_list) AS u(value, sessions) ORDER BY 1, 2, 3, 4`,
    );

  it('packs rows written in the row-per-value shape and unpacks them again on the way down', async () => {
    // The migrations after it (a column added to the packed monthly table, storage settings, the month marks, a dropped
    // index, the quarantine's dedupe key) are undone and redone too.
    expect(migrationsFrom(ds(), 'PackedFailureDimension1764300000000')).toBe(6);
    const undoFromPacked = () => undoMigrationsFrom(ds(), 'PackedFailureDimension1764300000000');
    await undoFromPacked();
    await ds().query(`INSERT INTO daily_failure_dimension VALUES
      ('a.example', 'sending-ip', '2024-05-01', '192.0.2.1', 3), ('a.example', 'sending-ip', '2024-05-01', '192.0.2.2', 4),
      ('a.example', 'sending-ip', '2024-05-02', '192.0.2.1', 1), ('a.example', 'result-type', '2024-05-01', 'certificate-expired', 7),
      ('b.example', 'receiving-mx', '2024-05-01', '', 2)`);
    await ds().query(`INSERT INTO monthly_failure_dimension VALUES
      ('a.example', 'sending-ip', '2024-05-01', '192.0.2.1', 4), ('a.example', 'sending-ip', '2024-05-01', '192.0.2.2', 4)`);
    const daily = await byValue('daily_failure_dimension', 'day');
    const monthly = await byValue('monthly_failure_dimension', 'month');

    await ds().runMigrations({ transaction: 'each' });
    const groups = await ds().query(`SELECT count(*)::int AS n FROM daily_failure_dimension`);
    expect(groups).toEqual([{ n: 4 }]);
    expect(await unpacked('daily_failure_dimension', 'day')).toEqual(daily);
    expect(await unpacked('monthly_failure_dimension', 'month')).toEqual(monthly);
    await expect(ds().query(`INSERT INTO daily_failure_dimension VALUES ('c.example', 'sending-ip', '2024-05-01', '{a,b}', '{1}')`)).rejects.toThrow(/check constraint/);

    await undoFromPacked();
    expect(await byValue('daily_failure_dimension', 'day')).toEqual(daily);
    expect(await byValue('monthly_failure_dimension', 'month')).toEqual(monthly);
    await ds().runMigrations({ transaction: 'each' });
  });
});
