import { compressReportText } from '@app/report-mail';
import { parseReportText } from '@app/tlsrpt';
import { openDatabase, ReportWriter, type StoreMessageInput } from '@app/store';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { makeReport } from './support/report-mail-builder.js';

function input(reportId: string, org = 'Reporter Inc.', domain = 'example.com'): StoreMessageInput {
  const text = makeReport({ reportId, org, domain, failures: [{ 'result-type': 'certificate-expired', 'failed-session-count': 2, 'receiving-mx-hostname': 'mx1.example.com' }], failed: 2 });
  const parsed = parseReportText(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return {
    raw: Buffer.from(`raw ${reportId} ${Math.random()}`),
    source: 'smtp',
    receivedAt: new Date(),
    envelope: {},
    headers: {},
    dkim: { result: 'none', aligned: false, domain: null, reason: null, checkedAt: null },
    reports: [{ partIndex: 0, body: compressReportText(text), report: parsed.report, warnings: parsed.warnings, dedupeOrg: org, submitterDomain: null }],
    quarantined: [],
  };
}

describe('ReportWriter group commit', () => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase(db.url, { poolSize: 4 });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('concurrent deliveries share transactions; each gets its own result; duplicates across the burst store once', async () => {
    const writer = new ReportWriter(ds, 64, 1);
    const ids = Array.from({ length: 40 }, (_, i) => `burst-${i % 30}`); // 10 re-deliveries inside the burst
    const results = await Promise.all(ids.map((id) => writer.storeMessage(input(id))));
    expect(results.filter((r) => r.stored.length === 1)).toHaveLength(30);
    expect(results.filter((r) => r.duplicates.length === 1 && r.rawMessageId === null)).toHaveLength(10);
    results.forEach((r, i) => expect([...r.stored, ...r.duplicates][0].reportId).toBe(ids[i]));
    const [{ n, raws, failures, rolled }] = await ds.query(
      `SELECT (SELECT count(*)::int FROM report) AS n, (SELECT count(*)::int FROM raw_message) AS raws,
              (SELECT count(*)::int FROM failure_detail) AS failures,
              (SELECT sum(sessions)::int FROM daily_failure_rollup) AS rolled`,
    );
    expect({ n, raws, failures, rolled }).toEqual({ n: 30, raws: 30, failures: 30, rolled: 60 });
    const [{ dups }] = await ds.query(`SELECT sum(duplicate_deliveries)::int AS dups FROM report`);
    expect(dups).toBe(10);
  });

  it('one message that fails does not fail the others in its batch', async () => {
    await ds.query(`CREATE FUNCTION reject_bad() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.report_id = 'bad-1' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$`);
    await ds.query(`CREATE TRIGGER reject_bad BEFORE INSERT ON report FOR EACH ROW EXECUTE FUNCTION reject_bad()`);
    const writer = new ReportWriter(ds, 64, 1);
    const outcomes = await Promise.allSettled(['ok-1', 'bad-1', 'ok-2', 'ok-3'].map((id) => writer.storeMessage(input(id))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const rows = await ds.query(`SELECT report_id FROM report WHERE report_id LIKE 'ok-%' OR report_id LIKE 'bad-%' ORDER BY report_id`);
    expect(rows.map((r: { report_id: string }) => r.report_id)).toEqual(['ok-1', 'ok-2', 'ok-3']);
    const [{ orphans }] = await ds.query(
      `SELECT count(*)::int AS orphans FROM raw_message m WHERE NOT EXISTS (SELECT 1 FROM report r WHERE r.raw_message_id = m.id)
         AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.raw_message_id = m.id)`,
    );
    expect(orphans).toBe(0);
  });

  it('a report whose rollup group another transaction is starting at the same moment waits for it and adds to it', async () => {
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`INSERT INTO daily_failure_dimension VALUES ('race.example', 'receiving-mx', '2024-01-01', '{mx1.example.com}', '{5}')`);
      const stored = new ReportWriter(ds, 64, 1).storeMessage(input('race-1', 'Reporter Inc.', 'race.example'));
      await waitFor(async () => (await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0].n === 1);
      await other.query('COMMIT');
      expect((await stored).stored).toHaveLength(1);
    } finally {
      await other.end();
    }
    const rows = await ds.query(
      `SELECT 'daily' AS t, value_list, session_list::int[] FROM daily_failure_dimension WHERE policy_domain = 'race.example' AND dimension = 'receiving-mx'
       UNION ALL SELECT 'monthly', value_list, session_list::int[] FROM monthly_failure_dimension WHERE policy_domain = 'race.example' AND dimension = 'receiving-mx'`,
    );
    expect(rows).toEqual([
      { t: 'daily', value_list: ['mx1.example.com'], session_list: [7] },
      { t: 'monthly', value_list: ['mx1.example.com'], session_list: [2] },
    ]);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
