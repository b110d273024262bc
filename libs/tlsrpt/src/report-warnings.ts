import type { ReportWarning } from './report.types.js';

/** Stable warning codes of the lenient report parser (spec notes §7). */
export const REPORT_WARNING_CODES = [
  'JSON_BOM', // a UTF-8 byte order mark before the JSON text
  'DATETIME_NO_ZONE', // RPT-DEV-1
  'DATE_RANGE_OVER_ONE_DAY', // RPT-DEV-3
  'MX_HOST_STRING', // RPT-DEV-4
  'MX_HOST_PREFIX', // RPT-DEV-5
  'MX_HOST_PATTERN_KEY', // RPT-DEV-6
  'MX_HOST_INVALID',
  'ADDITIONAL_INFO_URI_KEY', // RPT-DEV-6
  'ADDITIONAL_INFORMATION_NOT_URI', // RPT-DEV-7
  'FAILURE_FIELD_MISSING', // RPT-DEV-8
  'IP_INVALID', // RPT-DEV-9
  'IP_NOT_CANONICAL', // RPT-JSON-2 (IPv6 in RFC 5952 form)
  'CONTACT_INFO_MISSING', // RPT-DEV-10
  'ORGANIZATION_NAME_MISSING', // RPT-DEV-11
  'FAILURE_SUM_ABOVE_TOTAL', // RPT-DEV-12
  'POLICY_STRING_MISSING', // RPT-DEV-13
  'FAILURE_DETAILS_MISSING', // RPT-DEV-13
  'POLICY_STRING_PACKED_JSON', // RPT-DEV-14
  'POLICY_STRING_NO_SPACE', // RPT-DEV-15
  'POLICY_STRING_INVALID',
  'UNKNOWN_KEY', // RPT-DEV-16
  'RESULT_TYPE_UNKNOWN', // RPT-DEV-17
  'RESULT_TYPE_MISSING',
  'POLICY_TYPE_UNKNOWN', // RPT-DEV-17
  'POLICY_TYPE_MISSING',
  'POLICY_DOMAIN_MISSING', // RPT-DEV-18
  'POLICY_DOMAIN_NOT_A_LABEL',
  'POLICY_DOMAIN_INVALID',
  'POLICY_COUNT_MISSING', // RPT-DEV-18
  'FAILED_SESSION_COUNT_MISSING',
  'POLICIES_EMPTY', // RPT-DEV-26
  'POLICIES_NOT_ARRAY',
  'POLICY_ENTRY_INVALID',
  'FAILURE_DETAILS_INVALID',
  'FAILURE_DETAIL_INVALID',
  'REPORT_ID_NOT_STRING',
  'FIELD_NOT_STRING',
  'WARNINGS_TRUNCATED',
] as const;

export type ReportWarningCode = (typeof REPORT_WARNING_CODES)[number];

/** Per code, so that a report with 100k bad rows cannot produce 100k warnings, yet every code still shows. */
export const MAX_WARNINGS_PER_CODE = 100;

/** Collects the warnings of one parse. */
export class WarningLog {
  private readonly warnings: ReportWarning[] = [];
  private readonly dropped = new Map<ReportWarningCode, number>();
  private readonly counts = new Map<ReportWarningCode, number>();

  add(code: ReportWarningCode, message: string, path?: string): void {
    const seen = this.counts.get(code) ?? 0;
    this.counts.set(code, seen + 1);
    if (seen >= MAX_WARNINGS_PER_CODE) {
      this.dropped.set(code, (this.dropped.get(code) ?? 0) + 1);
      return;
    }
    this.warnings.push(path === undefined ? { code, message } : { code, message, path });
  }

  toArray(): ReportWarning[] {
    const summary: ReportWarning[] = [...this.dropped].map(([code, n]) => ({
      code: 'WARNINGS_TRUNCATED',
      message: `${n} more ${code} warnings were left out (only the first ${MAX_WARNINGS_PER_CODE} are kept).`,
    }));
    return [...this.warnings, ...summary];
  }
}
