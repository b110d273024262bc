import type { EntityManager } from 'typeorm';
import type { ParsedReportInput, StoreMessageInput } from './report-writer.js';
import { namedQuery } from './pg-client.js';
import { utcDay } from './utc-day.js';
import { atMostCeilingSql } from './session-sum-sql.js';

// report.duplicate_deliveries (integer) stops at its largest value: a sender repeating one report forever still gets 250.
const INT_MAX = 2_147_483_647;

export interface MessageRows {
  /** raw_message ids, one per message in the order given; null for a message that brought nothing new (not inserted). */
  rawIds: Array<number | null>;
  /** Reports inserted (the others were duplicates), by their place in the flat list of the messages' reports. */
  reportPks: Map<number, number>;
  /** report_policy ids by `${reportPk}/${position}`. */
  policyPks: Map<string, number>;
}

/** The fields daily_policy_rollup groups a policy under, or null when it does not count (RPT-DEV-17/18). */
export function policyRollupKey(r: ParsedReportInput, p: ParsedReportInput['report']['policies'][number]) {
  if (!p.countsTowardRates || !p.policyDomain) return null;
  return { domain: p.policyDomain.toLowerCase(), day: utcDay(r.report.dateRange.start), org: r.report.organizationName ?? r.dedupeOrg };
}

/** A report_policy row's columns as `jsonb_to_recordset` reads them. */
export function policyJson(p: ParsedReportInput['report']['policies'][number]) {
  return {
    policy_type: p.policyType,
    policy_domain: p.policyDomain,
    policy_string: p.policyString,
    mx_host: p.mxHost,
    successful: p.totalSuccessfulSessionCount,
    failed: p.totalFailureSessionCount,
    counts: p.countsTowardRates,
  };
}

/**
 * One statement for the rows every message needs: raw messages, their reports (deduped on the report key: duplicates
 * are counted on the stored report), the stored reports' policies and their daily_policy_rollup sessions. A batch of
 * reports without failure details or quarantined parts needs nothing else, and is written by this one statement
 * alone (one round trip, committed by PostgreSQL as it completes): each round trip waits for the event loop that also
 * parses the next messages, so their number sets how long a delivery waits for its 250.
 */
export async function insertMessageRows(m: EntityManager, messages: Array<{ input: StoreMessageInput; sha256: Buffer }>): Promise<MessageRows> {
  const reports = messages.flatMap(({ input }, i) => input.reports.map((r) => ({ message: i + 1, r })));
  const policies = reports.flatMap(({ r }, i) =>
    r.report.policies.map((p, position) => {
      const rollup = policyRollupKey(r, p);
      return {
        rn: i + 1,
        position,
        ...policyJson(p),
        rollup_domain: rollup?.domain ?? null,
        rollup_day: rollup?.day ?? null,
        rollup_org: rollup?.org ?? null,
      };
    }),
  );
  // Scalars travel as one JSON document per table and bytes as one binary parameter each (sliced by offset in SQL):
  // pg would otherwise escape every element of 26 array parameters and send each byte array as hex text.
  const rawBytes = bytesAt(messages.map(({ input }) => input.raw));
  const bodies = bytesAt(reports.map(({ r }) => r.body));
  const messageRows = messages.map(({ input }, i) => ({
    received_at: input.receivedAt.getTime(),
    source: input.source,
    bytes_at: rawBytes.offsets[i],
    size_bytes: input.raw.length,
    envelope: input.envelope,
    headers: input.headers,
    dkim_result: input.dkim.result,
    dkim_aligned: input.dkim.aligned,
    dkim_domain: input.dkim.domain,
    dkim_reason: input.dkim.reason,
    dkim_checked_at: input.dkim.checkedAt?.getTime() ?? null,
    keep: input.quarantined.length > 0,
  }));
  const reportRows = reports.map(({ message, r }, i) => ({
    message,
    dedupe_org: r.dedupeOrg,
    organization_name: r.report.organizationName,
    submitter_domain: r.submitterDomain,
    report_id: r.report.reportId,
    date_start: r.report.dateRange.start.getTime(),
    date_end: r.report.dateRange.end.getTime(),
    day: utcDay(r.report.dateRange.start),
    contact_info: r.report.contactInfo,
    warnings: r.warnings,
    gz_at: bodies.offsets[i],
    gz_size: r.body.length,
  }));
  const [row] = await namedQuery<{ raw_ids: Array<[string, number]>; reports: Array<[string, number]>; policies: Array<[string, string, number]> }>(
    m,
    'sts-pilot/message-rows',
    MESSAGE_ROWS_SQL,
    [
      JSON.stringify(messageRows),
      Buffer.concat(messages.map(({ sha256 }) => sha256)),
      rawBytes.all,
      JSON.stringify(reportRows),
      bodies.all,
      JSON.stringify(policies),
    ],
  );
  return {
    rawIds: rawIdsByMessage(messages.length, row.raw_ids),
    reportPks: new Map(row.reports.map(([id, rn]) => [rn - 1, Number(id)])),
    policyPks: new Map(row.policies.map(([id, reportPk, position]) => [`${reportPk}/${position}`, Number(id)])),
  };
}

// Reports go in first, under message ids drawn from raw_message's sequence: a report already stored (or being stored
// by a concurrent writer, which the insert waits for) is counted on that row as a duplicate delivery, as are later
// copies in the batch. Then only the messages that brought something new (a stored report, or a quarantined part)
// are inserted. The foreign key from report to raw_message is checked at the end of the statement, so one statement
// with no follow-up writes it all, and every table is reached through its keys (no plan depends on table sizes).
const MESSAGE_ROWS_SQL = `
  WITH msg_in AS (
    SELECT t.*, nextval(pg_get_serial_sequence('raw_message', 'id')) AS id
      FROM (SELECT * FROM ROWS FROM (json_to_recordset($1::json) AS (received_at bigint, source text, bytes_at int,
           size_bytes int, envelope jsonb, headers jsonb, dkim_result text, dkim_aligned bool, dkim_domain text,
           dkim_reason text, dkim_checked_at bigint, keep bool)) WITH ORDINALITY AS t(received_at, source, bytes_at,
           size_bytes, envelope, headers, dkim_result, dkim_aligned, dkim_domain, dkim_reason, dkim_checked_at, keep, n)
           ORDER BY n) t),
  rep_in AS (
    SELECT u.message, u.dedupe_org, u.organization_name, u.submitter_domain, u.report_id,
           ${fromEpochMs('u.date_start')} AS date_start, ${fromEpochMs('u.date_end')} AS date_end, u.day, u.contact_info,
           u.warnings, u.gz_at, u.gz_size, u.rn
      FROM ROWS FROM (json_to_recordset($4::json) AS (message int, dedupe_org text, organization_name text,
           submitter_domain text, report_id text, date_start bigint, date_end bigint, day date, contact_info text,
           warnings jsonb, gz_at int, gz_size int))
           WITH ORDINALITY AS u(message, dedupe_org, organization_name, submitter_domain, report_id, date_start, date_end,
           day, contact_info, warnings, gz_at, gz_size, rn)),
  first_copy AS (
    SELECT DISTINCT ON (dedupe_org, report_id, date_start, date_end) *,
           count(*) OVER (PARTITION BY dedupe_org, report_id, date_start, date_end) AS copies
      FROM rep_in ORDER BY dedupe_org, report_id, date_start, date_end, rn),
  rep AS (
    INSERT INTO report AS r (raw_message_id, dedupe_org, organization_name, submitter_domain, report_id, date_start,
      date_end, day, contact_info, warnings, report_gz, authenticated, source, received_at, duplicate_deliveries)
    SELECT m.id, u.dedupe_org, u.organization_name, u.submitter_domain, u.report_id, u.date_start, u.date_end, u.day,
           u.contact_info, u.warnings, substring($5::bytea FROM u.gz_at + 1 FOR u.gz_size),
           m.dkim_result = 'pass' AND m.dkim_aligned, m.source, ${fromEpochMs('m.received_at')}, u.copies - 1
      FROM first_copy u JOIN msg_in m ON m.n = u.message
     ORDER BY u.rn
    ON CONFLICT ON CONSTRAINT report_dedupe_key DO UPDATE SET
      duplicate_deliveries = LEAST(r.duplicate_deliveries::bigint + EXCLUDED.duplicate_deliveries + 1, ${INT_MAX})
    RETURNING id, raw_message_id, dedupe_org, report_id, date_start, date_end),
  rep_new AS (
    SELECT rep.id, rep.raw_message_id, u.rn
      FROM rep JOIN first_copy u USING (dedupe_org, report_id, date_start, date_end)
      JOIN msg_in m ON m.n = u.message
     WHERE rep.raw_message_id = m.id),
  raw AS (
    INSERT INTO raw_message (id, received_at, source, sha256, size_bytes, bytes, envelope, headers,
      dkim_result, dkim_aligned, dkim_domain, dkim_reason, dkim_checked_at)
    SELECT t.id, ${fromEpochMs('t.received_at')}, t.source, substring($2::bytea FROM 32 * (t.n - 1)::int + 1 FOR 32),
           t.size_bytes, substring($3::bytea FROM t.bytes_at + 1 FOR t.size_bytes), t.envelope, t.headers, t.dkim_result,
           t.dkim_aligned, t.dkim_domain, t.dkim_reason, ${fromEpochMs('t.dkim_checked_at')}
      FROM msg_in t
     WHERE t.keep OR t.id IN (SELECT raw_message_id FROM rep_new)
     ORDER BY t.n
    RETURNING id),
  pol_in AS (
    SELECT * FROM jsonb_to_recordset($6::jsonb) AS p(rn bigint, position int, policy_type text, policy_domain text,
      policy_string jsonb, mx_host jsonb, successful bigint, failed bigint, counts boolean, rollup_domain text,
      rollup_day date, rollup_org text)),
  pol AS (
    INSERT INTO report_policy (report_pk, position, policy_type, policy_domain, policy_string, mx_host,
      successful_sessions, failed_sessions, counts_toward_rates)
    SELECT r.id, p.position, p.policy_type, p.policy_domain, ARRAY(SELECT jsonb_array_elements_text(p.policy_string)),
           ARRAY(SELECT jsonb_array_elements_text(p.mx_host)), p.successful, p.failed, p.counts
      FROM pol_in p JOIN rep_new r ON r.rn = p.rn
    RETURNING id, report_pk, position),
  policy_rollup AS (
    INSERT INTO daily_policy_rollup AS r (policy_domain, day, organization, policy_type, successful_sessions,
      failed_sessions, reports, last_received_at)
    SELECT p.rollup_domain, p.rollup_day, p.rollup_org, p.policy_type, ${atMostCeilingSql('sum(p.successful)')},
           ${atMostCeilingSql('sum(p.failed)')}, count(*), now()
      FROM pol_in p JOIN rep_new n ON n.rn = p.rn
     WHERE p.rollup_domain IS NOT NULL
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, 2, 3, 4
    ON CONFLICT (policy_domain, day, organization, policy_type) DO UPDATE SET
      successful_sessions = ${atMostCeilingSql('r.successful_sessions + EXCLUDED.successful_sessions')},
      failed_sessions = ${atMostCeilingSql('r.failed_sessions + EXCLUDED.failed_sessions')},
      reports = r.reports + EXCLUDED.reports,
      last_received_at = GREATEST(r.last_received_at, EXCLUDED.last_received_at))
  SELECT (SELECT coalesce(json_agg(json_build_array(raw.id, m.n)), '[]') FROM raw JOIN msg_in m USING (id)) AS raw_ids,
         (SELECT coalesce(json_agg(json_build_array(id, rn)), '[]') FROM rep_new) AS reports,
         (SELECT coalesce(json_agg(json_build_array(id, report_pk, position)), '[]') FROM pol) AS policies`;

function rawIdsByMessage(count: number, inserted: Array<[string, number]>): Array<number | null> {
  const ids: Array<number | null> = new Array(count).fill(null);
  for (const [id, n] of inserted) ids[n - 1] = Number(id);
  return ids;
}

/** Milliseconds since the epoch (exact in a double) as a timestamptz, for any year PostgreSQL can hold. */
function fromEpochMs(column: string): string {
  return `to_timestamp(${column} / 1000.0)`;
}

/** The byte arrays laid end to end, and where each one starts. */
function bytesAt(parts: Uint8Array[]): { all: Buffer; offsets: number[] } {
  const offsets: number[] = [];
  let at = 0;
  for (const p of parts) {
    offsets.push(at);
    at += p.length;
  }
  return { all: Buffer.concat(parts, at), offsets };
}
