import { describe, expect, it } from 'vitest';
import { undoMigrationsFrom, useTestDataSource } from './support/database.js';

// Undoing StaleDimensionMonths goes back to month rows kept current at ingest: the months still marked are
// recomputed from their days first, so none is left behind.
describe('migration StaleDimensionMonths', () => {
  const ds = useTestDataSource();

  it('recomputes the marked months from their days on the way down; an unmarked month is left as it is', async () => {
    await ds().query(`INSERT INTO daily_failure_dimension VALUES
      ('a.example', 'sending-ip', '2024-05-01', '{192.0.2.1,192.0.2.2}', '{3,4}'),
      ('a.example', 'sending-ip', '2024-05-31', '{192.0.2.1}', '{1}'),
      ('a.example', 'sending-ip', '2024-06-01', '{192.0.2.9}', '{9}'),
      ('b.example', 'result-type', '2024-05-02', '{certificate-expired}', '{5}')`);
    // a.example's May row is behind its days and marked; b.example's is behind too but not marked (left alone).
    await ds().query(`INSERT INTO monthly_failure_dimension (policy_domain, dimension, month, value_list, session_list, lists_json) VALUES
      ('a.example', 'sending-ip', '2024-05-01', '{192.0.2.1}', '{3}', '[["192.0.2.1"],[3]]'),
      ('b.example', 'result-type', '2024-05-01', '{certificate-expired}', '{1}', NULL)`);
    await ds().query(`INSERT INTO stale_dimension_month VALUES ('a.example', 'sending-ip', '2024-05-01'), ('a.example', 'sending-ip', '2024-06-01')`);

    await undoMigrationsFrom(ds(), 'StaleDimensionMonths1764600000000');
    const rows = await ds().query(
      `SELECT r.policy_domain, r.month::text AS month, u.value, u.sessions::int AS sessions, r.lists_json IS NULL AS formatted_on_read
         FROM monthly_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions) ORDER BY 1, 2, 3`,
    );
    expect(rows).toEqual([
      { policy_domain: 'a.example', month: '2024-05-01', value: '192.0.2.1', sessions: 4, formatted_on_read: true },
      { policy_domain: 'a.example', month: '2024-05-01', value: '192.0.2.2', sessions: 4, formatted_on_read: true },
      { policy_domain: 'a.example', month: '2024-06-01', value: '192.0.2.9', sessions: 9, formatted_on_read: true },
      { policy_domain: 'b.example', month: '2024-05-01', value: 'certificate-expired', sessions: 1, formatted_on_read: true },
    ]);
    expect(await ds().query(`SELECT to_regclass('stale_dimension_month') AS t`)).toEqual([{ t: null }]);
    await ds().runMigrations({ transaction: 'each' });
    expect(await ds().query(`SELECT count(*)::int AS n FROM stale_dimension_month`)).toEqual([{ n: 0 }]);
  });
});
