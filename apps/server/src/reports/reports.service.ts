import { GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { storedReportText } from '@app/report-mail';
import { DataSource } from 'typeorm';
import { atMostCeilingSql } from '@app/store';
import type { ReportListQuery } from './reports.query.js';

const iso = (d: Date | string) => new Date(d).toISOString();

/** Sort keys of the list (reports.query.ts REPORT_SORTS) to their column; null: id only. */
const SORT_COLUMNS = { id: null, receivedAt: 'received_at', dateStart: 'date_start' } as const;

/** Timestamps in the cursor are whole milliseconds, as PostgreSQL's timestamptz reaches JavaScript. */
const cursorOf = (row: any, column: string | null): number | string =>
  column === null ? Number(row.id) : `${new Date(row[column]).getTime()}.${Number(row.id)}`;

@Injectable()
export class ReportsService {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Newest first unless `sort` says otherwise, keyset-paginated on (sort key, id): pass `nextCursor` back as `cursor`. */
  async list(q: ReportListQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (q.domain) add('EXISTS (SELECT 1 FROM report_policy p WHERE p.report_pk = r.id AND lower(p.policy_domain) = lower(?))', q.domain);
    if (q.organization) add('(r.organization_name = ? OR r.dedupe_org = ?)', q.organization);
    if (q.from) add('r.date_end >= ?', q.from);
    if (q.to) add('r.date_start <= ?', q.to);
    const desc = q.sort.startsWith('-');
    const column = SORT_COLUMNS[q.sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS];
    const dir = desc ? 'DESC' : 'ASC';
    if (q.cursor && column === null) add(`r.id ${desc ? '<' : '>'} ?`, q.cursor.id);
    if (q.cursor && column !== null) {
      params.push(new Date(q.cursor.at!), q.cursor.id);
      where.push(`(r.${column}, r.id) ${desc ? '<' : '>'} ($${params.length - 1}, $${params.length})`);
    }
    params.push(q.limit + 1);
    const rows: any[] = await this.ds.query(
      `SELECT r.id, r.organization_name, r.dedupe_org, r.report_id, r.date_start, r.date_end, r.contact_info,
              r.source, r.received_at, r.authenticated, r.duplicate_deliveries, jsonb_array_length(r.warnings) AS warning_count,
              (SELECT coalesce(array_agg(DISTINCT p.policy_domain) FILTER (WHERE p.policy_domain IS NOT NULL), '{}') FROM report_policy p WHERE p.report_pk = r.id) AS domains,
              (SELECT ${atMostCeilingSql('coalesce(sum(p.successful_sessions), 0)')} FROM report_policy p WHERE p.report_pk = r.id) AS successful,
              (SELECT ${atMostCeilingSql('coalesce(sum(p.failed_sessions), 0)')} FROM report_policy p WHERE p.report_pk = r.id) AS failed
         FROM report r
        ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY ${column === null ? '' : `r.${column} ${dir}, `}r.id ${dir}
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        id: Number(r.id),
        organization: r.organization_name ?? r.dedupe_org,
        reportId: r.report_id,
        dateRange: { start: iso(r.date_start), end: iso(r.date_end) },
        contactInfo: r.contact_info,
        policyDomains: r.domains,
        successfulSessions: Number(r.successful),
        failedSessions: Number(r.failed),
        source: r.source,
        receivedAt: iso(r.received_at),
        authenticated: r.authenticated,
        duplicateDeliveries: r.duplicate_deliveries,
        warningCount: Number(r.warning_count),
      })),
      nextCursor: rows.length > q.limit ? cursorOf(page[page.length - 1], column) : null,
    };
  }

  async detail(id: number) {
    const [r] = await this.ds.query(
      `SELECT r.*, m.dkim_result, m.dkim_aligned, m.dkim_domain, m.dkim_reason, m.dkim_checked_at, m.headers, m.envelope
         FROM report r JOIN raw_message m ON m.id = r.raw_message_id WHERE r.id = $1`,
      [id],
    );
    if (!r) throw new NotFoundException(`No report with id ${id}.`);
    const policies: any[] = await this.ds.query(`SELECT * FROM report_policy WHERE report_pk = $1 ORDER BY position`, [id]);
    const failures: any[] = await this.ds.query(`SELECT * FROM failure_detail WHERE policy_pk = ANY($1::bigint[]) ORDER BY policy_pk, position`, [
      policies.map((p) => p.id),
    ]);
    return {
      id: Number(r.id),
      organization: r.organization_name ?? r.dedupe_org,
      organizationName: r.organization_name,
      reportId: r.report_id,
      dateRange: { start: iso(r.date_start), end: iso(r.date_end) },
      day: r.day,
      contactInfo: r.contact_info,
      submitterDomain: r.submitter_domain,
      source: r.source,
      receivedAt: iso(r.received_at),
      duplicateDeliveries: r.duplicate_deliveries,
      warnings: r.warnings,
      dkim: {
        result: r.dkim_result,
        aligned: r.dkim_aligned,
        domain: r.dkim_domain,
        reason: r.dkim_reason,
        checkedAt: r.dkim_checked_at ? iso(r.dkim_checked_at) : null,
        authenticated: r.authenticated,
      },
      headers: r.headers,
      rawMessageId: Number(r.raw_message_id),
      policies: policies.map((p) => ({
        id: Number(p.id),
        policyType: p.policy_type,
        policyDomain: p.policy_domain,
        policyString: p.policy_string,
        mxHost: p.mx_host,
        successfulSessions: Number(p.successful_sessions),
        failedSessions: Number(p.failed_sessions),
        countsTowardRates: p.counts_toward_rates,
        failures: failures
          .filter((f) => f.policy_pk === p.id)
          .map((f) => ({
            resultType: f.result_type,
            failedSessionCount: Number(f.failed_session_count),
            sendingMtaIp: f.sending_mta_ip,
            receivingIp: f.receiving_ip,
            receivingMxHostname: f.receiving_mx_hostname,
            receivingMxHelo: f.receiving_mx_helo,
            additionalInformation: f.additional_information,
            failureReasonCode: f.failure_reason_code,
          })),
      })),
      reportJson: storedReportText(r),
    };
  }

  async rawMessage(reportId: number): Promise<Buffer> {
    const [row] = await this.ds.query(
      `SELECT m.bytes FROM report r JOIN raw_message m ON m.id = r.raw_message_id WHERE r.id = $1`,
      [reportId],
    );
    if (!row) throw new NotFoundException(`No report with id ${reportId}.`);
    if (row.bytes === null) throw new GoneException(`The raw message of report ${reportId} was removed by the retention policy (RETENTION_RAW_DAYS).`);
    return row.bytes;
  }
}
