import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Period } from './period.js';

/** Column names follow parsedmarc's SMTP TLS CSV, one row per failure detail. */
export const FAILURE_CSV_COLUMNS = [
  'organization_name',
  'begin_date',
  'end_date',
  'report_id',
  'policy_domain',
  'policy_type',
  'policy_strings',
  'mx_host_patterns',
  'successful_session_count',
  'failed_session_count',
  'result_type',
  'sending_mta_ip',
  'receiving_ip',
  'receiving_mx_hostname',
  'receiving_mx_helo',
  'additional_info_uri',
  'failure_reason_code',
  'report_pk',
] as const;

export type FailureRow = Record<(typeof FAILURE_CSV_COLUMNS)[number], string | number | null>;

const BATCH = 5000;

/**
 * Failure details of one domain and period, read in keyset batches so an export of millions of rows never sits in
 * memory. This is the one dashboard path that reads failure_detail, and it streams rows rather than aggregating.
 */
@Injectable()
export class FailureExportService {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async *rows(domain: string, period: Period): AsyncGenerator<FailureRow> {
    let after = { policyPk: 0, position: -1 };
    for (;;) {
      const batch: any[] = await this.ds.query(
        `SELECT f.policy_pk, f.position, coalesce(r.organization_name, r.dedupe_org) AS organization_name, r.date_start, r.date_end, r.report_id,
                p.policy_domain, p.policy_type, p.policy_string, p.mx_host, p.successful_sessions, f.failed_session_count,
                f.result_type, f.sending_mta_ip, f.receiving_ip, f.receiving_mx_hostname, f.receiving_mx_helo,
                f.additional_information, f.failure_reason_code, f.report_pk
           FROM failure_detail f JOIN report_policy p ON p.id = f.policy_pk JOIN report r ON r.id = f.report_pk
          WHERE lower(f.policy_domain) = $1 AND f.day BETWEEN $2::date AND $3::date AND (f.policy_pk, f.position) > ($4::bigint, $5::int)
          ORDER BY f.policy_pk, f.position
          LIMIT ${BATCH}`,
        [domain, period.from, period.to, after.policyPk, after.position],
      );
      for (const r of batch) {
        yield {
          organization_name: r.organization_name,
          begin_date: new Date(r.date_start).toISOString(),
          end_date: new Date(r.date_end).toISOString(),
          report_id: r.report_id,
          policy_domain: r.policy_domain,
          policy_type: r.policy_type,
          policy_strings: (r.policy_string as string[]).join('|'),
          mx_host_patterns: (r.mx_host as string[]).join('|'),
          successful_session_count: Number(r.successful_sessions),
          failed_session_count: Number(r.failed_session_count),
          result_type: r.result_type,
          sending_mta_ip: r.sending_mta_ip,
          receiving_ip: r.receiving_ip,
          receiving_mx_hostname: r.receiving_mx_hostname,
          receiving_mx_helo: r.receiving_mx_helo,
          additional_info_uri: r.additional_information,
          failure_reason_code: r.failure_reason_code,
          report_pk: Number(r.report_pk),
        };
      }
      if (batch.length < BATCH) return;
      const last = batch[batch.length - 1];
      after = { policyPk: Number(last.policy_pk), position: last.position };
    }
  }
}
