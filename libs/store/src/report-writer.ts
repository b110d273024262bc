import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { ReportWarning, TlsReport } from '@app/tlsrpt';
import type { DkimResult } from './entities/index.js';

export interface DkimRecord {
  result: DkimResult;
  aligned: boolean;
  domain: string | null;
  reason: string | null;
  checkedAt: Date | null;
}

export interface ParsedReportInput {
  partIndex: number | null;
  /** The report JSON exactly as received (after decompression). */
  text: string;
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

/**
 * Writes one received message and everything found in it in a single transaction: raw bytes, reports (deduped on
 * the unique key with ON CONFLICT), policies, failure details in bulk, quarantine entries and the daily rollups.
 * The caller acknowledges the sender only after this resolves.
 */
export class ReportWriter {
  constructor(private readonly ds: DataSource) {}

  async storeMessage(input: StoreMessageInput): Promise<StoreMessageResult> {
    return this.ds.transaction((m) => writeMessage(m, input));
  }
}

async function writeMessage(m: EntityManager, input: StoreMessageInput): Promise<StoreMessageResult> {
  const sha256 = createHash('sha256').update(input.raw).digest();
  if (input.reports.length === 0 && input.quarantined.length > 0) {
    // Reports dedupe on their key; a message that holds only unparseable parts dedupes on its bytes.
    const seen = await m.query(
      `SELECT 1 FROM raw_message r JOIN quarantine q ON q.raw_message_id = r.id WHERE r.sha256 = $1 LIMIT 1`,
      [sha256],
    );
    if (seen.length) return { rawMessageId: null, stored: [], duplicates: [], quarantineIds: [], alreadyQuarantined: true };
  }
  const [{ id: rawId }] = await m.query(
    `INSERT INTO raw_message (received_at, source, sha256, size_bytes, bytes, envelope, headers,
       dkim_result, dkim_aligned, dkim_domain, dkim_reason, dkim_checked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      input.receivedAt,
      input.source,
      sha256,
      input.raw.length,
      input.raw,
      JSON.stringify(input.envelope),
      JSON.stringify(input.headers),
      input.dkim.result,
      input.dkim.aligned,
      input.dkim.domain,
      input.dkim.reason,
      input.dkim.checkedAt,
    ],
  );
  const rawMessageId = Number(rawId);
  const result: StoreMessageResult = { rawMessageId, stored: [], duplicates: [], quarantineIds: [], alreadyQuarantined: false };
  const authenticated = input.dkim.result === 'pass' && input.dkim.aligned;

  for (const r of input.reports) {
    const reportPk = await insertReport(m, rawMessageId, r, authenticated, input);
    if (reportPk === null) {
      await m.query(
        `UPDATE report SET duplicate_deliveries = duplicate_deliveries + 1
          WHERE dedupe_org = $1 AND report_id = $2 AND date_start = $3 AND date_end = $4`,
        [r.dedupeOrg, r.report.reportId, r.report.dateRange.start, r.report.dateRange.end],
      );
      result.duplicates.push({ reportId: r.report.reportId, organization: r.dedupeOrg });
      continue;
    }
    await insertPoliciesAndFailures(m, reportPk, r);
    await addToRollups(m, [r]);
    result.stored.push({ reportPk, reportId: r.report.reportId, organization: r.dedupeOrg });
  }

  for (const q of input.quarantined) {
    const [{ id }] = await m.query(
      `INSERT INTO quarantine (raw_message_id, part_index, reason_code, reason, report_text)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [rawMessageId, q.partIndex, q.code, q.reason, q.text],
    );
    result.quarantineIds.push(Number(id));
  }

  if (result.stored.length === 0 && result.quarantineIds.length === 0) {
    await m.query('DELETE FROM raw_message WHERE id = $1', [rawMessageId]);
    result.rawMessageId = null;
  }
  return result;
}

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

async function insertReport(
  m: EntityManager,
  rawMessageId: number,
  r: ParsedReportInput,
  authenticated: boolean,
  input: StoreMessageInput,
): Promise<number | null> {
  const rows: Array<{ id: string }> = await m.query(
    `INSERT INTO report (raw_message_id, dedupe_org, organization_name, submitter_domain, report_id, date_start,
       date_end, day, contact_info, warnings, report_text, authenticated, source, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT ON CONSTRAINT report_dedupe_key DO NOTHING RETURNING id`,
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
      r.text,
      authenticated,
      input.source,
      input.receivedAt,
    ],
  );
  return rows.length ? Number(rows[0].id) : null;
}

async function insertPoliciesAndFailures(m: EntityManager, reportPk: number, r: ParsedReportInput): Promise<void> {
  const policies = r.report.policies;
  if (policies.length === 0) return;
  const policyRows: Array<{ id: string; position: number }> = await m.query(
    `INSERT INTO report_policy (report_pk, position, policy_type, policy_domain, policy_string, mx_host,
       successful_sessions, failed_sessions, counts_toward_rates)
     SELECT $1, p.position, p.policy_type, p.policy_domain, ARRAY(SELECT jsonb_array_elements_text(p.policy_string)),
            ARRAY(SELECT jsonb_array_elements_text(p.mx_host)), p.successful, p.failed, p.counts
       FROM jsonb_to_recordset($2::jsonb) AS p(position int, policy_type text, policy_domain text,
            policy_string jsonb, mx_host jsonb, successful bigint, failed bigint, counts boolean)
     RETURNING id, position`,
    [
      reportPk,
      JSON.stringify(
        policies.map((p, position) => ({
          position,
          policy_type: p.policyType,
          policy_domain: p.policyDomain,
          policy_string: p.policyString,
          mx_host: p.mxHost,
          successful: p.totalSuccessfulSessionCount,
          failed: p.totalFailureSessionCount,
          counts: p.countsTowardRates,
        })),
      ),
    ],
  );
  const policyPkByPosition = new Map(policyRows.map((row) => [Number(row.position), Number(row.id)]));
  const day = utcDay(r.report.dateRange.start);

  const cols = {
    policyPk: [] as number[],
    domain: [] as Array<string | null>,
    resultType: [] as string[],
    count: [] as number[],
    sendIp: [] as Array<string | null>,
    sendInet: [] as Array<string | null>,
    recvIp: [] as Array<string | null>,
    recvInet: [] as Array<string | null>,
    mx: [] as Array<string | null>,
    helo: [] as Array<string | null>,
    info: [] as Array<string | null>,
    reason: [] as Array<string | null>,
  };
  policies.forEach((p, position) => {
    for (const f of p.failureDetails) {
      cols.policyPk.push(policyPkByPosition.get(position)!);
      cols.domain.push(p.policyDomain);
      cols.resultType.push(f.resultType);
      cols.count.push(f.failedSessionCount);
      cols.sendIp.push(f.sendingMtaIp);
      cols.sendInet.push(f.sendingMtaIpParsed);
      cols.recvIp.push(f.receivingIp);
      cols.recvInet.push(f.receivingIpParsed);
      cols.mx.push(f.receivingMxHostname);
      cols.helo.push(f.receivingMxHelo);
      cols.info.push(f.additionalInformation);
      cols.reason.push(f.failureReasonCode);
    }
  });
  if (cols.policyPk.length === 0) return;
  await m.query(
    `INSERT INTO failure_detail (report_pk, day, policy_pk, policy_domain, result_type, failed_session_count,
       sending_mta_ip, sending_mta_ip_inet, receiving_ip, receiving_ip_inet, receiving_mx_hostname,
       receiving_mx_helo, additional_information, failure_reason_code)
     SELECT $1, $2::date, * FROM unnest($3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::inet[],
       $9::text[], $10::inet[], $11::text[], $12::text[], $13::text[], $14::text[])`,
    [
      reportPk,
      day,
      cols.policyPk,
      cols.domain,
      cols.resultType,
      cols.count,
      cols.sendIp,
      cols.sendInet,
      cols.recvIp,
      cols.recvInet,
      cols.mx,
      cols.helo,
      cols.info,
      cols.reason,
    ],
  );
}

/**
 * Adds the reports' sessions to the daily rollups with one statement per table. Only policies that count toward
 * rates (RPT-DEV-17/18) are rolled up. Rows are sorted so concurrent ingests lock keys in the same order.
 */
export async function addToRollups(m: EntityManager, reports: ParsedReportInput[]): Promise<void> {
  const policyAgg = new Map<string, { domain: string; day: string; org: string; type: string; ok: number; failed: number; reports: number }>();
  const failureAgg = new Map<string, { domain: string; day: string; org: string; type: string; mx: string; sessions: number }>();
  for (const r of reports) {
    const day = utcDay(r.report.dateRange.start);
    const org = r.report.organizationName ?? r.dedupeOrg;
    for (const p of r.report.policies) {
      if (!p.countsTowardRates || !p.policyDomain) continue;
      const domain = p.policyDomain.toLowerCase();
      const pk = [domain, day, org, p.policyType].join('\u0000');
      const agg = policyAgg.get(pk) ?? { domain, day, org, type: p.policyType, ok: 0, failed: 0, reports: 0 };
      agg.ok += p.totalSuccessfulSessionCount;
      agg.failed += p.totalFailureSessionCount;
      agg.reports += 1;
      policyAgg.set(pk, agg);
      for (const f of p.failureDetails) {
        const mx = (f.receivingMxHostname ?? '').toLowerCase();
        const fk = [domain, day, org, f.resultType, mx].join('\u0000');
        const fa = failureAgg.get(fk) ?? { domain, day, org, type: f.resultType, mx, sessions: 0 };
        fa.sessions += f.failedSessionCount;
        failureAgg.set(fk, fa);
      }
    }
  }
  const byKey = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  const policies = byKey(policyAgg);
  if (policies.length) {
    await m.query(
      `INSERT INTO daily_policy_rollup AS r (policy_domain, day, organization, policy_type, successful_sessions, failed_sessions, reports)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::int[])
       ON CONFLICT (policy_domain, day, organization, policy_type) DO UPDATE SET
         successful_sessions = r.successful_sessions + EXCLUDED.successful_sessions,
         failed_sessions = r.failed_sessions + EXCLUDED.failed_sessions,
         reports = r.reports + EXCLUDED.reports`,
      [
        policies.map((p) => p.domain),
        policies.map((p) => p.day),
        policies.map((p) => p.org),
        policies.map((p) => p.type),
        policies.map((p) => p.ok),
        policies.map((p) => p.failed),
        policies.map((p) => p.reports),
      ],
    );
  }
  const failures = byKey(failureAgg);
  if (failures.length) {
    await m.query(
      `INSERT INTO daily_failure_rollup AS r (policy_domain, day, organization, result_type, receiving_mx, sessions)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::bigint[])
       ON CONFLICT (policy_domain, day, organization, result_type, receiving_mx) DO UPDATE SET
         sessions = r.sessions + EXCLUDED.sessions`,
      [
        failures.map((f) => f.domain),
        failures.map((f) => f.day),
        failures.map((f) => f.org),
        failures.map((f) => f.type),
        failures.map((f) => f.mx),
        failures.map((f) => f.sessions),
      ],
    );
  }
}
