import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { atMostCeiling, type FailureDetail, type ReportWarning, type TlsReport } from '@app/tlsrpt';
import type { DkimResult } from './entities/index.js';
import { pgClientOf } from './pg-client.js';
import { insertMessageRows, policyJson, policyRollupKey } from './message-rows.js';
import { utcDay } from './utc-day.js';
import { pgSafeStrings } from './pg-safe-text.js';
import { CommitPacing } from './commit-pacing.js';
import { atMostCeilingSql } from './session-sum-sql.js';

export interface DkimRecord {
  result: DkimResult;
  aligned: boolean;
  domain: string | null;
  reason: string | null;
  checkedAt: Date | null;
}

export interface ParsedReportInput {
  partIndex: number | null;
  /** The report JSON gzip-compressed (`report.report_gz`): the gzip attachment as received, or `compressReportText`. */
  body: Uint8Array;
  report: TlsReport;
  warnings: ReportWarning[];
  /** Organization key used for dedupe (organization-name, else submitter domain, else contact domain, else ''). */
  dedupeOrg: string;
  submitterDomain: string | null;
}

export interface QuarantineInput {
  partIndex: number | null;
  code: string;
  reason: string;
  text: string | null;
}

export interface StoreMessageInput {
  raw: Buffer;
  source: string;
  receivedAt: Date;
  envelope: Record<string, unknown>;
  headers: Record<string, unknown>;
  dkim: DkimRecord;
  reports: ParsedReportInput[];
  quarantined: QuarantineInput[];
}

export interface StoreMessageResult {
  /** Null when every report was a duplicate: the message changed nothing and its bytes were not kept again. */
  rawMessageId: number | null;
  stored: Array<{ reportPk: number; reportId: string; organization: string }>;
  duplicates: Array<{ reportId: string; organization: string }>;
  quarantineIds: number[];
  /** The same bytes were quarantined before (a retry or a second import): nothing was written again. */
  alreadyQuarantined: boolean;
}

const HEAVY_FAILURE_ROWS = 500;

function failureRows(input: StoreMessageInput): number {
  let n = 0;
  for (const r of input.reports) for (const p of r.report.policies) n += p.failureDetails.length;
  return n;
}

/**
 * Writes received messages and everything found in them: raw bytes, reports (deduped on the unique key with
 * ON CONFLICT), policies, failure details in bulk, quarantine entries and the daily rollups, all in one transaction.
 * The caller acknowledges the sender only after `storeMessage` resolves.
 *
 * Group commit: while transactions are being written, messages that arrive queue up and are written together in
 * the next one (one commit), so a burst of deliveries shares round trips and fsyncs. A batch of small reports is one
 * statement, its own transaction (see `insertMessageRows`); failure rows, their rollups and quarantine entries add one
 * statement each to a transaction (BEGIN … COMMIT).
 * If a shared transaction fails, each of its messages is retried alone, so one bad message never fails another.
 */
export class ReportWriter {
  /** `heavy`: the message has enough failure rows to be worth a transaction of its own. */
  private queue: Array<{ input: StoreMessageInput; heavy: boolean; resolve: (r: StoreMessageResult) => void; reject: (e: unknown) => void }> = [];
  private flushing = 0;
  private readonly pacing = new CommitPacing();

  /**
   * Up to `maxParallel` transactions may be in flight, but a further one starts only for heavy work (a message with
   * many failure rows) or once half of the messages in circulation wait (`CommitPacing`): small messages are cheaper
   * for PostgreSQL gathered into a few large transactions than spread over many small ones. Two, not three: with
   * four deliveries of 5,000-row reports in flight, a third transaction ran one report each and competed for the
   * event loop (bench case 2 in docs/benchmarks.md).
   */
  constructor(
    private readonly ds: DataSource,
    private readonly maxBatch = 64,
    private readonly maxParallel = 2,
  ) {}

  storeMessage(input: StoreMessageInput): Promise<StoreMessageResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input: pgSafeStrings(input), heavy: failureRows(input) >= HEAVY_FAILURE_ROWS, resolve, reject });
      this.pacing.queued(this.queue.length);
      if (this.flushing === 0 || (this.flushing < this.maxParallel && this.worthAnotherTransaction())) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing++;
    // While a batch commits, the next batch's transaction is begun on another connection if messages are waiting,
    // so a busy writer spends two round trips per batch (statement, COMMIT) on the path to the senders' 250s.
    let next: Promise<QueryRunner> | null = null;
    try {
      while (this.queue.length) {
        // Beside another transaction, a few small messages wait for it to pick them up rather than go alone.
        if (this.flushing > 1 && !this.worthAnotherTransaction()) break;
        const batch = this.queue.splice(0, this.maxBatch);
        this.pacing.started(batch.length);
        const inputs = batch.map((b) => b.input);
        // One statement is a transaction of its own: no BEGIN and COMMIT round trips (a begun one waits for a later batch).
        const oneStatement = writtenByOneStatement(inputs);
        const begun: Promise<QueryRunner> | null = next;
        next = oneStatement ? begun : null;
        let runner: QueryRunner | null = null;
        try {
          runner = oneStatement ? this.ds.createQueryRunner() : await (begun ?? this.begin());
          const results = await writeMessages(runner.manager, inputs);
          if (!oneStatement) {
            if (this.queue.length) next = this.begin();
            await runner.commitTransaction();
          }
          batch.forEach((b, i) => b.resolve(results[i]));
        } catch (err) {
          if (runner?.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
          if (batch.length === 1 && !isRaceWithAnotherWriter(err)) {
            batch[0].reject(err);
            continue;
          }
          for (const b of batch) await this.writeAlone(b.input).then(b.resolve, b.reject);
        } finally {
          this.pacing.ended(batch.length, this.queue.length);
          await runner?.release();
        }
      }
    } finally {
      if (next) void next.then((r) => r.rollbackTransaction().finally(() => r.release())).catch(() => undefined);
      this.flushing--;
    }
  }

  /** Heavy work or enough small messages waiting to be worth a transaction beside the ones in flight. */
  private worthAnotherTransaction(): boolean {
    return this.queue.length >= this.pacing.secondBatchSize() || this.queue.some((q) => q.heavy);
  }

  private async begin(): Promise<QueryRunner> {
    const runner = this.ds.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      return runner;
    } catch (err) {
      await runner.release();
      throw err;
    }
  }

  /** One message in its own transaction; run once more if it lost a race with another writer (see `isRaceWithAnotherWriter`). */
  private async writeAlone(input: StoreMessageInput): Promise<StoreMessageResult> {
    const write = () => this.ds.transaction((m) => writeMessages(m, [input])).then((r) => r[0]);
    return write().catch((err) => (isRaceWithAnotherWriter(err) ? write() : Promise.reject(err)));
  }
}

/**
 * Two transactions that add to the same rollup rows wait for each other; should they ever lock them in different
 * orders (rows go in key order, so this is not expected), PostgreSQL cancels one with a deadlock. Written again, it goes through.
 */
function isRaceWithAnotherWriter(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '40P01';
}

/**
 * Messages with neither failure details nor quarantined parts: `writeMessages` writes them with the one statement of
 * `insertMessageRows`, which PostgreSQL commits atomically by itself.
 */
function writtenByOneStatement(inputs: StoreMessageInput[]): boolean {
  return inputs.every((input) => input.quarantined.length === 0 && failureRows(input) === 0);
}

interface Pending {
  input: StoreMessageInput;
  sha256: Buffer;
  skip: boolean;
  result: StoreMessageResult;
}

async function writeMessages(m: EntityManager, inputs: StoreMessageInput[]): Promise<StoreMessageResult[]> {
  const pending: Pending[] = inputs.map((input) => ({
    input,
    sha256: createHash('sha256').update(input.raw).digest(),
    skip: false,
    result: { rawMessageId: null, stored: [], duplicates: [], quarantineIds: [], alreadyQuarantined: false },
  }));

  // Reports dedupe on their key; a message that holds only unparseable parts dedupes on its bytes.
  const quarantineOnly = pending.filter((p) => p.input.reports.length === 0 && p.input.quarantined.length > 0);
  if (quarantineOnly.length) {
    const seen: Array<{ sha256: Buffer }> = await m.query(
      `SELECT DISTINCT raw_sha256 AS sha256 FROM quarantine WHERE raw_sha256 = ANY($1::bytea[])`,
      [quarantineOnly.map((p) => p.sha256)],
    );
    const seenHex = new Set(seen.map((row) => Buffer.from(row.sha256).toString('hex')));
    for (const p of quarantineOnly) {
      if (seenHex.has(p.sha256.toString('hex'))) {
        p.skip = true;
        p.result.alreadyQuarantined = true;
      }
    }
  }
  const live = pending.filter((p) => !p.skip);
  if (!live.length) return pending.map((p) => p.result);

  const rows = await insertMessageRows(m, live);
  // A message whose every report was a duplicate changed nothing: its bytes were not kept again (null).
  live.forEach((p, i) => (p.result.rawMessageId = rows.rawIds[i]));

  const reports = live.flatMap((p) => p.input.reports.map((r) => ({ p, r })));
  const storedReports: Array<{ r: ParsedReportInput; reportPk: number }> = [];
  reports.forEach(({ p, r }, i) => {
    const reportPk = rows.reportPks.get(i);
    if (reportPk !== undefined) {
      storedReports.push({ r, reportPk });
      p.result.stored.push({ reportPk, reportId: r.report.reportId, organization: r.dedupeOrg });
    } else {
      p.result.duplicates.push({ reportId: r.report.reportId, organization: r.dedupeOrg });
    }
  });
  await copyFailureRows(m, storedReports, rows.policyPks);
  await addToRollups(m, storedReports.map(({ r }) => r), { policies: false });

  const quarantines = live.flatMap((p) => p.input.quarantined.map((q) => ({ p, q })));
  if (quarantines.length) {
    const ids: Array<{ id: string }> = await m.query(
      `INSERT INTO quarantine (raw_message_id, raw_sha256, part_index, reason_code, reason, report_text)
       SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::int[], $4::text[], $5::text[], $6::text[])
       RETURNING id`,
      [
        quarantines.map(({ p }) => p.result.rawMessageId),
        quarantines.map(({ p }) => p.sha256),
        quarantines.map(({ q }) => q.partIndex),
        quarantines.map(({ q }) => q.code),
        quarantines.map(({ q }) => q.reason),
        quarantines.map(({ q }) => q.text),
      ],
    );
    const sorted = ids.map((r) => Number(r.id)).sort((a, b) => a - b);
    quarantines.forEach(({ p }, i) => p.result.quarantineIds.push(sorted[i]));
  }

  return pending.map((p) => p.result);
}

async function insertPolicies(m: EntityManager, stored: Array<{ r: ParsedReportInput; reportPk: number }>): Promise<Map<string, number>> {
  const policies = stored.flatMap(({ r, reportPk }) => r.report.policies.map((p, position) => ({ reportPk, position, p })));
  if (policies.length === 0) return new Map();
  const policyRows: Array<{ id: string; report_pk: string; position: number }> = await m.query(
    `INSERT INTO report_policy (report_pk, position, policy_type, policy_domain, policy_string, mx_host,
       successful_sessions, failed_sessions, counts_toward_rates)
     SELECT p.report_pk, p.position, p.policy_type, p.policy_domain, ARRAY(SELECT jsonb_array_elements_text(p.policy_string)),
            ARRAY(SELECT jsonb_array_elements_text(p.mx_host)), p.successful, p.failed, p.counts
       FROM jsonb_to_recordset($1::jsonb) AS p(report_pk bigint, position int, policy_type text, policy_domain text,
            policy_string jsonb, mx_host jsonb, successful bigint, failed bigint, counts boolean)
     RETURNING id, report_pk, position`,
    [
      JSON.stringify(
        policies.map(({ reportPk, position, p }) => ({ report_pk: reportPk, position, ...policyJson(p) })),
      ),
    ],
  );
  return new Map(policyRows.map((row) => [`${row.report_pk}/${row.position}`, Number(row.id)]));
}

/** The stored reports' failure details, by COPY; `policyPks` maps `${reportPk}/${position}` to the policy's id. */
async function copyFailureRows(m: EntityManager, stored: Array<{ r: ParsedReportInput; reportPk: number }>, policyPks: Map<string, number>): Promise<void> {
  if (!stored.some(({ r }) => r.report.policies.some((p) => p.failureDetails.length > 0))) return;
  const lines = function* () {
    for (const { r, reportPk } of stored) {
      const day = utcDay(r.report.dateRange.start);
      for (const [position, p] of r.report.policies.entries()) {
        if (p.failureDetails.length === 0) continue;
        const policyColumns = `${reportPk}\t${day}\t${policyPks.get(`${reportPk}/${position}`)}\t${copyText(p.policyDomain)}\t`;
        let detailPosition = 0;
        for (const f of p.failureDetails) yield failureLine(policyColumns, detailPosition++, f);
      }
    }
  };
  await copyLines(
    m,
    `COPY failure_detail (report_pk, day, policy_pk, policy_domain, position, result_type, failed_session_count,
       sending_mta_ip, sending_mta_ip_inet, receiving_ip, receiving_ip_inet, receiving_mx_hostname,
       receiving_mx_helo, additional_information, failure_reason_code) FROM STDIN`,
    lines(),
  );
}

/**
 * Streams lines into a `COPY … FROM STDIN` on the transaction's own connection: failure rows go in bulk without
 * building 15 parameter arrays (and their serialized copies) in memory.
 */
async function copyLines(m: EntityManager, sql: string, lines: Iterable<string>): Promise<void> {
  const client = await pgClientOf(m);
  const chunks = function* () {
    let buf = '';
    for (const line of lines) {
      buf += line;
      if (buf.length > 64 * 1024) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  };
  await pipeline(Readable.from(chunks()), client.query(copyFrom(sql)));
}

/** One COPY line: the policy's columns, then the entry's place in the policy's list and its fields. */
function failureLine(policyColumns: string, position: number, f: FailureDetail): string {
  return (
    `${policyColumns}${position}\t${copyText(f.resultType)}\t${f.failedSessionCount}\t` +
    `${copyText(f.sendingMtaIp)}\t${copyText(f.sendingMtaIpParsed)}\t${copyText(f.receivingIp)}\t${copyText(f.receivingIpParsed)}\t` +
    `${copyText(f.receivingMxHostname)}\t${copyText(f.receivingMxHelo)}\t${copyText(f.additionalInformation)}\t${copyText(f.failureReasonCode)}\n`
  );
}

const COPY_SPECIAL = /[\\\t\n\r]/;

/** COPY text format: `\N` for null; backslash, tab, newline and carriage return escaped. */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  if (!COPY_SPECIAL.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * Adds the reports' sessions to the daily rollups (and the monthly dimension rollup) in the caller's transaction;
 * `policies: false` leaves out daily_policy_rollup (written with the reports by `insertMessageRows`).
 * Only policies that count toward rates (RPT-DEV-17/18) are rolled up. Rows go in key order, so concurrent ingests
 * lock keys in the same order.
 */
export async function addToRollups(m: EntityManager, reports: ParsedReportInput[], opts: { policies: boolean } = { policies: true }): Promise<void> {
  const { policies, failures, dimensions } = aggregateRollups(reports);
  if (opts.policies && policies.length) {
    await m.query(
      `INSERT INTO daily_policy_rollup AS r (policy_domain, day, organization, policy_type, successful_sessions, failed_sessions, reports, last_received_at)
       SELECT *, now() FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::int[])
       ON CONFLICT (policy_domain, day, organization, policy_type) DO UPDATE SET
         successful_sessions = ${atMostCeilingSql('r.successful_sessions + EXCLUDED.successful_sessions')},
         failed_sessions = ${atMostCeilingSql('r.failed_sessions + EXCLUDED.failed_sessions')},
         reports = r.reports + EXCLUDED.reports,
         last_received_at = GREATEST(r.last_received_at, EXCLUDED.last_received_at)`,
      [
        policies.map((p) => p.domain),
        policies.map((p) => p.day),
        policies.map((p) => p.org),
        policies.map((p) => p.type),
        policies.map((p) => atMostCeiling(p.ok)),
        policies.map((p) => atMostCeiling(p.failed)),
        policies.map((p) => p.reports),
      ],
    );
  }
  if (failures.length) {
    await m.query(
      `INSERT INTO daily_failure_rollup AS r (policy_domain, day, organization, result_type, receiving_mx, sessions)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::bigint[])
       ON CONFLICT (policy_domain, day, organization, result_type, receiving_mx) DO UPDATE SET
         sessions = ${atMostCeilingSql('r.sessions + EXCLUDED.sessions')}`,
      [
        failures.map((f) => f.domain),
        failures.map((f) => f.day),
        failures.map((f) => f.org),
        failures.map((f) => f.type),
        failures.map((f) => f.mx),
        failures.map((f) => atMostCeiling(f.sessions)),
      ],
    );
  }
  if (dimensions.length) await addToDimensionRollups(m, dimensions);
}

/**
 * daily_failure_dimension in one statement: one row per group (domain, dimension, day) holding all its values and
 * their sessions as two arrays; a group that has a row gets the values merged in (ON CONFLICT, which also waits for a
 * writer adding to the same group). The same statement marks each group's month stale (stale_dimension_month) rather
 * than merging into the month's row, which holds every value of the month: `refreshStaleMonths` recomputes it later.
 * Values travel as array literals built here (pg's own array parameters escape each element with two regular
 * expressions).
 */
async function addToDimensionRollups(m: EntityManager, daily: DimensionGroup[]): Promise<void> {
  const months = new Map<string, string[]>();
  for (const g of daily) {
    const month = `${g.day.slice(0, 8)}01`;
    months.set(`${g.domain}\u0000${g.dimension}\u0000${month}`, [g.domain, g.dimension, month]);
  }
  const monthKeys = [...months.entries()].sort(([a], [b]) => byCodeUnits(a, b)).map(([, k]) => k);
  // The groups' values one group after another; groupEnds[i]: the position after group i + 1's last value.
  const values: string[] = [];
  const sessions: number[] = [];
  const groupEnds: number[] = [];
  for (const g of daily) {
    for (const [value, n] of g.values) {
      values.push(value);
      sessions.push(atMostCeiling(n));
    }
    groupEnds.push(values.length);
  }
  // A very large report (tens of thousands of distinct values) streams its values into a staging table by COPY
  // instead of holding them as one literal of tens of MiB (and the driver's encoded copy of it).
  const staged = values.length > STAGE_FROM_VALUES;
  if (staged) {
    await m.query(`CREATE TEMP TABLE IF NOT EXISTS dimension_value_stage (g int NOT NULL, value text NOT NULL, sessions bigint NOT NULL) ON COMMIT DELETE ROWS`);
    await copyLines(m, 'COPY dimension_value_stage (g, value, sessions) FROM STDIN', stageLines(groupEnds, values, sessions));
  }
  await m.query(staged ? STAGED_DIMENSIONS_SQL : INLINE_DIMENSIONS_SQL, [
    daily.map((g) => g.domain),
    daily.map((g) => g.dimension),
    daily.map((g) => g.day),
    monthKeys.map((k) => k[0]),
    monthKeys.map((k) => k[1]),
    monthKeys.map((k) => k[2]),
    ...(staged ? [] : [`{${groupEnds.join(',')}}`, textArrayLiteral(values), `{${sessions.join(',')}}`]),
  ]);
}

const STAGE_FROM_VALUES = 20_000;

function* stageLines(groupEnds: number[], values: string[], sessions: number[]): Iterable<string> {
  let g = 0;
  for (let i = 0; i < values.length; i++) {
    while (i >= groupEnds[g]) g++;
    yield `${g + 1}\t${copyText(values[i])}\t${sessions[i]}\n`;
  }
}

/** A PostgreSQL text[] literal: every element quoted, `"` and `\` escaped. */
function textArrayLiteral(values: string[]): string {
  // Most lists hold no quote or backslash: one join, not a quoted string per value.
  if (values.length && !values.some((v) => ARRAY_ELEMENT_SPECIAL.test(v))) return `{"${values.join('","')}"}`;
  return `{${values.map((v) => (ARRAY_ELEMENT_SPECIAL.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`)).join(',')}}`;
}

const ARRAY_ELEMENT_SPECIAL = /["\\]/;

const MERGE_VALUE_LISTS = `(value_list, session_list) = (
  SELECT array_agg(coalesce(a.value, b.value)), array_agg(${atMostCeilingSql('coalesce(a.sessions, 0) + coalesce(b.sessions, 0)')})
    FROM unnest(r.value_list, r.session_list) AS a(value, sessions)
    FULL JOIN unnest(EXCLUDED.value_list, EXCLUDED.session_list) AS b(value, sessions) ON a.value = b.value)`;

// d: each daily group (g numbers them) with its values as the two lists. Inline, they are slices of the array
// parameters $8 and $9, which hold the groups' values one group after another ($7: the position each group ends
// at); staged, the values are grouped from the staging table.
const INLINE_GROUPS = `
  SELECT g, ($8::text[])[coalesce(($7::int[])[g - 1], 0) + 1 : ($7::int[])[g]] AS value_list,
         ($9::bigint[])[coalesce(($7::int[])[g - 1], 0) + 1 : ($7::int[])[g]] AS session_list
    FROM generate_subscripts($7::int[], 1) AS g`;
const STAGED_GROUPS = `SELECT g, array_agg(value) AS value_list, array_agg(sessions) AS session_list FROM dimension_value_stage GROUP BY g`;

// The month marks are locked even when they exist (DO UPDATE … WHERE false locks without writing): a refresh that
// has not yet taken a mark can then never remove it before this transaction's daily rows are visible to it (see
// `refreshStaleMonths`).
const dimensionsSql = (groups: string) => `
  WITH d AS MATERIALIZED (${groups}),
  daily AS (
    INSERT INTO daily_failure_dimension AS r (policy_domain, dimension, day, value_list, session_list)
    SELECT ($1::text[])[g], ($2::text[])[g], ($3::date[])[g], value_list, session_list FROM d ORDER BY g
    ON CONFLICT (policy_domain, dimension, day) DO UPDATE SET ${MERGE_VALUE_LISTS})
  INSERT INTO stale_dimension_month AS s (policy_domain, dimension, month)
  SELECT * FROM unnest($4::text[], $5::text[], $6::date[])
  ON CONFLICT (policy_domain, dimension, month) DO UPDATE SET month = EXCLUDED.month WHERE false`;

const INLINE_DIMENSIONS_SQL = dimensionsSql(INLINE_GROUPS);
const STAGED_DIMENSIONS_SQL = dimensionsSql(STAGED_GROUPS);

interface PolicyRollupRow {
  domain: string;
  day: string;
  org: string;
  type: string;
  ok: number;
  failed: number;
  reports: number;
}

interface FailureRollupRow {
  domain: string;
  day: string;
  org: string;
  type: string;
  mx: string;
  sessions: number;
}

/** Failed sessions per value of one dimension for one domain and day (or month): rows of the dimension rollups. */
interface DimensionGroup {
  domain: string;
  dimension: string;
  day: string;
  values: Map<string, number>;
}

/** Dimensions of daily_failure_dimension ('' = not given). */
const DIMENSIONS = ['organization', 'receiving-mx', 'receiving-ip', 'sending-ip', 'result-type', 'failure-reason-code'] as const;

/** The rollup rows of a batch of reports, each list in key order. */
function aggregateRollups(reports: ParsedReportInput[]) {
  const policyAgg = new Map<string, PolicyRollupRow>();
  const failureAgg = new Map<string, FailureRollupRow>();
  const dimensionAgg = new Map<string, DimensionGroup>();
  const group = (domain: string, dimension: string, day: string) => {
    const key = `${domain}\u0000${dimension}\u0000${day}`;
    let g = dimensionAgg.get(key);
    if (!g) dimensionAgg.set(key, (g = { domain, dimension, day, values: new Map() }));
    return g.values;
  };
  const add = (values: Map<string, number>, value: string, n: number) => values.set(value, (values.get(value) ?? 0) + n);
  for (const r of reports) {
    for (const p of r.report.policies) {
      const key = policyRollupKey(r, p);
      if (!key) continue;
      const { domain, day, org } = key;
      const pk = `${domain}\u0000${day}\u0000${org}\u0000${p.policyType}`;
      const agg = policyAgg.get(pk) ?? { domain, day, org, type: p.policyType, ok: 0, failed: 0, reports: 0 };
      agg.ok += p.totalSuccessfulSessionCount;
      agg.failed += p.totalFailureSessionCount;
      agg.reports += 1;
      policyAgg.set(pk, agg);
      if (p.failureDetails.length === 0) continue;
      const [byOrg, byMx, byReceivingIp, bySendingIp, byResultType, byReasonCode] = DIMENSIONS.map((d) => group(domain, d, day));
      // Per policy, keyed by the few fields that vary (domain, day and organization are the policy's).
      const byTypeAndMx = new Map<string, Map<string, number>>();
      const lowerMx = new Map<string | null, string>();
      let sessions = 0;
      for (const f of p.failureDetails) {
        const n = f.failedSessionCount;
        sessions += n;
        let mx = lowerMx.get(f.receivingMxHostname);
        if (mx === undefined) lowerMx.set(f.receivingMxHostname, (mx = (f.receivingMxHostname ?? '').toLowerCase()));
        let byMxOfType = byTypeAndMx.get(f.resultType);
        if (!byMxOfType) byTypeAndMx.set(f.resultType, (byMxOfType = new Map()));
        add(byMxOfType, mx, n);
        add(byMx, mx, n);
        add(byReceivingIp, f.receivingIpParsed ?? f.receivingIp ?? '', n);
        add(bySendingIp, f.sendingMtaIpParsed ?? f.sendingMtaIp ?? '', n);
        add(byResultType, f.resultType, n);
        add(byReasonCode, f.failureReasonCode ?? '', n);
      }
      add(byOrg, org, sessions);
      for (const [type, byMxOfType] of byTypeAndMx) {
        for (const [mx, n] of byMxOfType) {
          const fk = `${domain}\u0000${day}\u0000${org}\u0000${type}\u0000${mx}`;
          const fa = failureAgg.get(fk);
          if (fa) fa.sessions += n;
          else failureAgg.set(fk, { domain, day, org, type, mx, sessions: n });
        }
      }
    }
  }
  return { policies: sortedByKey(policyAgg), failures: sortedByKey(failureAgg), dimensions: sortedByKey(dimensionAgg) };
}

function sortedByKey<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => byCodeUnits(a, b)).map(([, v]) => v);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface StoredParsedReport {
  reportId: string;
  organization: string;
  /** The new report row, or the row already holding this report (a duplicate). */
  reportPk: number;
  duplicate: boolean;
}

/**
 * Stores reports found later in an already kept raw message (re-parse of a quarantined part): report rows deduped on
 * their key, policies, failure details and rollups, inside the caller's transaction. A duplicate changes nothing and
 * answers the existing report's id. Authentication and source are those of the raw message.
 */
export async function storeParsedReports(m: EntityManager, rawMessageId: number, reports: ParsedReportInput[]): Promise<StoredParsedReport[]> {
  const out: StoredParsedReport[] = [];
  const stored: Array<{ r: ParsedReportInput; reportPk: number }> = [];
  for (const r of pgSafeStrings(reports)) {
    const [row]: Array<{ id: string }> = await m.query(
      `INSERT INTO report (raw_message_id, dedupe_org, organization_name, submitter_domain, report_id, date_start,
         date_end, day, contact_info, warnings, report_gz, authenticated, source, received_at)
       SELECT m.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, m.dkim_result = 'pass' AND m.dkim_aligned, m.source, m.received_at
         FROM raw_message m WHERE m.id = $1
       ON CONFLICT ON CONSTRAINT report_dedupe_key DO NOTHING
       RETURNING id`,
      [
        rawMessageId,
        r.dedupeOrg,
        r.report.organizationName,
        r.submitterDomain,
        r.report.reportId,
        r.report.dateRange.start,
        r.report.dateRange.end,
        utcDay(r.report.dateRange.start),
        r.report.contactInfo,
        JSON.stringify(r.warnings),
        r.body,
      ],
    );
    if (row) {
      stored.push({ r, reportPk: Number(row.id) });
      out.push({ reportId: r.report.reportId, organization: r.dedupeOrg, reportPk: Number(row.id), duplicate: false });
      continue;
    }
    const [existing]: Array<{ id: string }> = await m.query(
      `SELECT id FROM report WHERE dedupe_org = $1 AND report_id = $2 AND date_start = $3 AND date_end = $4`,
      [r.dedupeOrg, r.report.reportId, r.report.dateRange.start, r.report.dateRange.end],
    );
    if (!existing) throw new Error(`raw message ${rawMessageId} does not exist`);
    out.push({ reportId: r.report.reportId, organization: r.dedupeOrg, reportPk: Number(existing.id), duplicate: true });
  }
  await copyFailureRows(m, stored, await insertPolicies(m, stored));
  await addToRollups(m, stored.map(({ r }) => r));
  return out;
}
