import { compressReportText } from '@app/report-mail';
import { parseReportText } from '@app/tlsrpt';
import { openDatabase, refreshStaleMonths, ReportWriter, type StoreMessageInput } from '@app/store';
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, useTestDataSource, type TestDatabase } from './support/database.js';
import { makeReport } from './support/report-mail-builder.js';

function input(
  reportId: string,
  org = 'Reporter Inc.',
  domain = 'example.com',
  failures: Array<Record<string, unknown>> | undefined = undefined,
  day?: string,
): StoreMessageInput {
  failures ??= [{ 'result-type': 'certificate-expired', 'failed-session-count': 2, 'receiving-mx-hostname': 'mx1.example.com' }];
  const text = makeReport({ reportId, org, domain, day, failures, failed: failures.reduce((n, f) => n + Number(f['failed-session-count']), 0) });
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
      await waitFor(() => oneSessionWaitsForALock(ds));
      await other.query('COMMIT');
      expect((await stored).stored).toHaveLength(1);
    } finally {
      await other.end();
    }
    await refreshStaleMonths(ds, { now: new Date() });
    const rows = await ds.query(
      `SELECT 'daily' AS t, value_list, session_list::int[] FROM daily_failure_dimension WHERE policy_domain = 'race.example' AND dimension = 'receiving-mx'
       UNION ALL SELECT 'monthly', value_list, session_list::int[] FROM monthly_failure_dimension WHERE policy_domain = 'race.example' AND dimension = 'receiving-mx'`,
    );
    expect(rows).toEqual([
      { t: 'daily', value_list: ['mx1.example.com'], session_list: [7] },
      // The month is recomputed from its days, the other transaction's row included.
      { t: 'monthly', value_list: ['mx1.example.com'], session_list: [7] },
    ]);
  });

  // Reports without failure details: each batch is one statement (its own transaction).
  const plain = (reportId: string) => input(reportId, 'Reporter Inc.', 'plain.example', []);
  const rawCount = async () => (await ds.query(`SELECT count(*)::int AS n FROM raw_message`))[0].n as number;
  const duplicateDeliveries = async (reportId: string) =>
    (await ds.query(`SELECT duplicate_deliveries AS n FROM report WHERE report_id = $1`, [reportId]))[0]?.n as number | undefined;

  it('RPT-DLV-10: copies in the batch and re-deliveries of stored reports are counted, not stored; a message keeps its bytes only if it brought something new', async () => {
    const writer = new ReportWriter(ds, 64, 1);
    expect((await writer.storeMessage(plain('plain-1'))).stored).toHaveLength(1);
    const before = await rawCount();
    const withQuarantinedPart = { ...plain('plain-1'), quarantined: [{ partIndex: 1, code: 'NOT_JSON', reason: 'part 2 is not JSON', text: 'x' }] };
    const [again, fresh, copy, kept] = await Promise.all(
      [plain('plain-1'), plain('plain-2'), plain('plain-2'), withQuarantinedPart].map((m) => writer.storeMessage(m)),
    );
    expect(again).toMatchObject({ rawMessageId: null, stored: [], duplicates: [{ reportId: 'plain-1' }] });
    expect(fresh).toMatchObject({ stored: [{ reportId: 'plain-2' }], duplicates: [] });
    expect(fresh.rawMessageId).toEqual(expect.any(Number));
    expect(copy).toMatchObject({ rawMessageId: null, stored: [], duplicates: [{ reportId: 'plain-2' }] });
    expect(kept).toMatchObject({ stored: [], duplicates: [{ reportId: 'plain-1' }], quarantineIds: [expect.any(Number)] });
    expect(kept.rawMessageId).toEqual(expect.any(Number));
    expect(await rawCount()).toBe(before + 2);
    expect(await duplicateDeliveries('plain-1')).toBe(2);
    expect(await duplicateDeliveries('plain-2')).toBe(1);
    const [{ reports }] = await ds.query(
      `SELECT reports FROM daily_policy_rollup WHERE policy_domain = 'plain.example'`,
    );
    expect(reports).toBe(2);
  });

  it('a report another transaction is storing at that moment: the batch waits for it, then counts a duplicate and keeps no bytes', async () => {
    const before = (await rawCount()) + 1;
    const result = await deliverWhileKeyHeld('race-a', 'race-b', 'COMMIT');
    expect(result).toMatchObject({ rawMessageId: null, stored: [], duplicates: [{ reportId: 'race-b' }] });
    expect(await rawCount()).toBe(before);
    expect(await duplicateDeliveries('race-b')).toBe(1);
  });

  it('a report another transaction was storing but rolled back is stored by the batch that waited for it', async () => {
    const result = await deliverWhileKeyHeld('undo-a', 'undo-b', 'ROLLBACK');
    expect(result).toMatchObject({ stored: [{ reportId: 'undo-b' }], duplicates: [] });
    const [row] = await ds.query(`SELECT raw_message_id::int AS raw, duplicate_deliveries AS dups FROM report WHERE report_id = 'undo-b'`);
    expect(row).toEqual({ raw: result.rawMessageId, dups: 0 });
  });

  it('a report re-delivered past the largest count of re-deliveries (2^31 - 1) is still a duplicate; the count stays there', async () => {
    const writer = new ReportWriter(ds, 64, 1);
    await writer.storeMessage(plain('forever-1'));
    await ds.query(`UPDATE report SET duplicate_deliveries = 2147483646 WHERE report_id = 'forever-1'`);
    const results = await Promise.all([1, 2, 3].map(() => writer.storeMessage(plain('forever-1'))));
    for (const r of results) expect(r).toMatchObject({ rawMessageId: null, stored: [], duplicates: [{ reportId: 'forever-1' }] });
    expect(await duplicateDeliveries('forever-1')).toBe(2147483647);
  });

  /** Stores report `from`, then delivers report `to` while another transaction holds `to`'s key, and ends that one with `end`. */
  async function deliverWhileKeyHeld(from: string, to: string, end: 'COMMIT' | 'ROLLBACK') {
    const writer = new ReportWriter(ds, 64, 1);
    await writer.storeMessage(plain(from));
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await holdReportKey(other, from, to);
      const delivery = writer.storeMessage(plain(to));
      await waitFor(() => oneSessionWaitsForALock(ds));
      await other.query(end);
      return await delivery;
    } finally {
      await other.end();
    }
  }
});

/** In `client`'s open transaction, inserts a copy of stored report `from` under report id `to` (not committed). */
async function holdReportKey(client: pg.Client, from: string, to: string): Promise<void> {
  await client.query(`CREATE TEMP TABLE held ON COMMIT DROP AS SELECT * FROM report WHERE report_id = $1`, [from]);
  await client.query(`UPDATE held SET id = nextval(pg_get_serial_sequence('report', 'id')), report_id = $1`, [to]);
  await client.query(`INSERT INTO report SELECT * FROM held`);
}

describe('ReportWriter dimension rollups', () => {
  const ds = useTestDataSource();

  // Lists without a quote or backslash are written with one join (textArrayLiteral's fast path), others value by value.
  it.each([
    ['with quotes and backslashes', 'odd.example', ['mx"1".example.com', 'mx\\2', '{mx3,x}', ' mx4 ', 'NULL', 'mx5,é😀']],
    ['with braces, commas, spaces and NULL only', 'plain.example', ['{mx3,x}', ' mx4 ', 'NULL', 'mx5,é😀', '']],
  ])('values %s reach the value lists exactly', async (_name, domain, odd) => {
    const failures = odd.map((mx, i) => ({ 'result-type': 'certificate-expired', 'failed-session-count': i + 1, 'receiving-mx-hostname': mx, 'failure-reason-code': mx }));
    await new ReportWriter(ds()).storeMessage(input(`${domain}-1`, 'Odd Inc.', domain, failures));
    await new ReportWriter(ds()).storeMessage(input(`${domain}-2`, 'Odd Inc.', domain, failures));
    await refreshStaleMonths(ds(), { now: new Date() });
    const rows: Array<{ t: string; dimension: string; value: string; sessions: number }> = await ds().query(
      `SELECT 'daily' AS t, r.dimension, u.value, u.sessions::int FROM daily_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions)
        WHERE r.policy_domain = $1 AND r.dimension IN ('receiving-mx', 'failure-reason-code')
       UNION ALL
       SELECT 'monthly', r.dimension, u.value, u.sessions::int FROM monthly_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions)
        WHERE r.policy_domain = $1 AND r.dimension IN ('receiving-mx', 'failure-reason-code')`,
      [domain],
    );
    const expected = (t: string, dimension: string, lower: boolean) =>
      odd.map((mx, i) => ({ t, dimension, value: lower ? mx.toLowerCase() : mx, sessions: 2 * (i + 1) }));
    const sort = (a: Array<{ t: string; dimension: string; value: string }>) => [...a].sort((x, y) => `${x.t}${x.dimension}${x.value}`.localeCompare(`${y.t}${y.dimension}${y.value}`));
    expect(sort(rows)).toEqual(
      sort([
        ...expected('daily', 'receiving-mx', true),
        ...expected('daily', 'failure-reason-code', false),
        ...expected('monthly', 'receiving-mx', true),
        ...expected('monthly', 'failure-reason-code', false),
      ]),
    );
  });

  it('a report with more distinct values than are sent inline (20,000) stages them by COPY; the lists hold every one', async () => {
    const failures = Array.from({ length: 20_500 }, (_, k) => ({
      'result-type': 'certificate-expired',
      'failed-session-count': 1 + (k % 3),
      'sending-mta-ip': `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`,
      'failure-reason-code': k % 2 ? `reason "${k}" \\ {x,y}` : null,
    }));
    await new ReportWriter(ds()).storeMessage(input('many-1', 'Many Inc.', 'many.example', failures, '2024-06-03'));
    await new ReportWriter(ds()).storeMessage(input('many-2', 'Many Inc.', 'many.example', failures.slice(0, 10), '2024-06-03'));
    await refreshStaleMonths(ds(), { now: new Date() });
    const [daily] = await ds().query(
      `SELECT cardinality(value_list) AS n, (SELECT sum(s)::int FROM unnest(session_list) s) AS sessions
         FROM daily_failure_dimension WHERE policy_domain = 'many.example' AND dimension = 'sending-ip'`,
    );
    const total = failures.reduce((n, f) => n + f['failed-session-count'], 0) + failures.slice(0, 10).reduce((n, f) => n + f['failed-session-count'], 0);
    expect(daily).toEqual({ n: 20_500, sessions: total });
    const reasons: Array<{ value: string }> = await ds().query(
      `SELECT u.value FROM monthly_failure_dimension r, unnest(r.value_list) AS u(value)
        WHERE r.policy_domain = 'many.example' AND r.dimension = 'failure-reason-code' AND u.value LIKE '%"7"%'`,
    );
    expect(reasons).toEqual([{ value: 'reason "7" \\ {x,y}' }]);
  });

  it('several days of one month in one message add up in the month and stay apart in the days', async () => {
    const one = input('days-1', 'Days Inc.', 'days.example', [{ 'result-type': 'certificate-expired', 'failed-session-count': 3, 'sending-mta-ip': '192.0.2.1' }], '2024-05-01');
    const two = input('days-2', 'Days Inc.', 'days.example', [{ 'result-type': 'certificate-expired', 'failed-session-count': 4, 'sending-mta-ip': '192.0.2.1' }, { 'result-type': 'certificate-expired', 'failed-session-count': 5, 'sending-mta-ip': '192.0.2.2' }], '2024-05-02');
    await new ReportWriter(ds()).storeMessage({ ...one, reports: [...one.reports, ...two.reports] });
    await refreshStaleMonths(ds(), { now: new Date() });
    const rows = await ds().query(
      `SELECT r.day::text AS at, u.value, u.sessions::int FROM daily_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions)
        WHERE r.policy_domain = 'days.example' AND r.dimension = 'sending-ip'
       UNION ALL
       SELECT r.month::text, u.value, u.sessions::int FROM monthly_failure_dimension r, unnest(r.value_list, r.session_list) AS u(value, sessions)
        WHERE r.policy_domain = 'days.example' AND r.dimension = 'sending-ip'
       ORDER BY 1, 2, 3`,
    );
    expect(rows).toEqual([
      { at: '2024-05-01', value: '192.0.2.1', sessions: 3 },
      { at: '2024-05-01', value: '192.0.2.1', sessions: 7 },
      { at: '2024-05-01', value: '192.0.2.2', sessions: 5 },
      { at: '2024-05-02', value: '192.0.2.1', sessions: 4 },
      { at: '2024-05-02', value: '192.0.2.2', sessions: 5 },
    ]);
  });

  it('RPT-JSON: days of one month at the session-count ceiling: the month stops at 2^53 - 1 instead of overflowing', async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const atMax = [{ 'result-type': 'certificate-expired', 'failed-session-count': max, 'sending-mta-ip': '192.0.2.1' }];
    const days = ['2024-07-01', '2024-07-02', '2024-07-03'].map((day, i) => input(`ceiling-${i}`, 'Ceiling Inc.', 'ceiling.example', atMax, day));
    await new ReportWriter(ds()).storeMessage({ ...days[0], reports: days.flatMap((d) => d.reports) });
    await refreshStaleMonths(ds(), { now: new Date() });
    const rows = await ds().query(
      `SELECT 'daily' AS t, count(*)::int AS n, max(s)::text AS largest FROM daily_failure_dimension r, unnest(r.session_list) s
        WHERE r.policy_domain = 'ceiling.example' AND r.dimension = 'sending-ip'
       UNION ALL
       SELECT 'monthly', count(*)::int, max(s)::text FROM monthly_failure_dimension r, unnest(r.session_list) s
        WHERE r.policy_domain = 'ceiling.example' AND r.dimension = 'sending-ip'
       ORDER BY 1`,
    );
    expect(rows).toEqual([
      { t: 'daily', n: 3, largest: String(max) },
      { t: 'monthly', n: 1, largest: String(max) },
    ]);
  });

  it('a batch of messages of different sizes keeps the bytes, digest, times, envelope, headers and DKIM of each exactly', async () => {
    const writer = new ReportWriter(ds(), 64, 1);
    const sizes = [0, 1, 31, 4096, 70_000, 3];
    const messages = sizes.map((size, i) => {
      const m = input(`exact-${i}`, 'Exact Inc.', 'exact.example');
      const raw = Buffer.alloc(size, i + 1);
      if (size > 2) raw.write('\\x"\u00ff', 0, 'latin1'); // bytes that look like escapes in a hex or array literal
      return {
        ...m,
        raw,
        receivedAt: new Date(Date.UTC(2025, 6, 1, 12, 0, 0, 123 + i)),
        envelope: { mailFrom: `a"b\\c${i}@x.test`, rcptTo: ['r@x.test'] },
        headers: { subject: `Report {${i}}, "quoted"` },
        dkim: { result: 'pass' as const, aligned: i % 2 === 0, domain: 'x.test', reason: null, checkedAt: new Date(Date.UTC(2025, 6, 1, 12, 0, 1, i)) },
      };
    });
    const results = await Promise.all(messages.map((m) => writer.storeMessage(m)));
    for (const [i, m] of messages.entries()) {
      const [row] = await ds().query(
        `SELECT m.bytes, m.sha256, m.size_bytes, m.received_at, m.envelope, m.headers, m.dkim_aligned, m.dkim_checked_at,
                r.report_gz, r.date_start, r.date_end, r.day::text AS day, r.authenticated, r.source AS report_source,
                r.received_at AS report_received_at
           FROM raw_message m JOIN report r ON r.raw_message_id = m.id WHERE m.id = $1`,
        [results[i].rawMessageId],
      );
      expect(Buffer.compare(row.bytes, m.raw), `bytes of message ${i}`).toBe(0);
      expect(row.sha256.toString('hex')).toBe(createHash('sha256').update(m.raw).digest('hex'));
      expect(row.size_bytes).toBe(sizes[i]);
      expect(row.received_at.getTime()).toBe(m.receivedAt.getTime());
      expect([row.report_source, row.report_received_at.getTime()]).toEqual([m.source, m.receivedAt.getTime()]);
      expect(row.dkim_checked_at.getTime()).toBe(m.dkim.checkedAt.getTime());
      expect({ envelope: row.envelope, headers: row.headers, aligned: row.dkim_aligned, authenticated: row.authenticated }).toEqual({
        envelope: m.envelope,
        headers: m.headers,
        aligned: i % 2 === 0,
        authenticated: i % 2 === 0,
      });
      expect(Buffer.compare(row.report_gz, m.reports[0].body), `report body of message ${i}`).toBe(0);
      expect([row.date_start.getTime(), row.date_end.getTime(), row.day]).toEqual([
        m.reports[0].report.dateRange.start.getTime(),
        m.reports[0].report.dateRange.end.getTime(),
        m.reports[0].report.dateRange.start.toISOString().slice(0, 10),
      ]);
    }
  });
});

async function oneSessionWaitsForALock(ds: DataSource): Promise<boolean> {
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
  return n === 1;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
