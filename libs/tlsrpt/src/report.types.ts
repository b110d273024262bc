// Typed model of an RFC 8460 report after lenient parsing (spec notes §5, §7).

export interface TlsReport {
  organizationName: string | null;
  dateRange: { start: Date; end: Date };
  contactInfo: string | null;
  reportId: string;
  policies: ReportPolicy[];
}

export interface ReportPolicy {
  /** `sts`, `tlsa`, `no-policy-found`, or an unknown value kept verbatim (RPT-DEV-17). */
  policyType: string;
  policyDomain: string | null;
  policyString: string[];
  /** Normalised to bare host patterns (RPT-DEV-4, RPT-DEV-5, RPT-DEV-6). */
  mxHost: string[];
  totalSuccessfulSessionCount: number;
  totalFailureSessionCount: number;
  failureDetails: FailureDetail[];
  /** False when the policy lacks a domain or a count, or has an unknown type: kept, but excluded from rates (RPT-DEV-17/18). */
  countsTowardRates: boolean;
}

export interface FailureDetail {
  /** Kept verbatim, including unknown types (RPT-JSON-3). */
  resultType: string;
  /** Raw text as sent; `null` when absent or empty (RPT-DEV-8). */
  sendingMtaIp: string | null;
  /** Canonical IP text when the raw value is an IP, else null (RPT-DEV-9). */
  sendingMtaIpParsed: string | null;
  receivingIp: string | null;
  receivingIpParsed: string | null;
  receivingMxHostname: string | null;
  receivingMxHelo: string | null;
  failedSessionCount: number;
  additionalInformation: string | null;
  failureReasonCode: string | null;
}

export interface ReportWarning {
  /** Stable code, e.g. `DATETIME_NO_ZONE`, `MX_HOST_STRING`, `FAILURE_SUM_ABOVE_TOTAL`. */
  code: string;
  /** A sentence a person understands. */
  message: string;
  /** JSON path of the field concerned, e.g. `policies[0].failure-details[2].receiving-ip`. */
  path?: string;
}

export interface ReportLimits {
  maxPolicies: number;
  maxFailureDetails: number;
  maxJsonDepth: number;
}

export type ParseReportResult =
  | { ok: true; report: TlsReport; warnings: ReportWarning[] }
  | { ok: false; code: ReportRejectCode; reason: string };

export type ReportRejectCode =
  | 'JSON_INVALID'
  | 'JSON_TOO_DEEP'
  | 'NOT_AN_OBJECT'
  | 'MISSING_FIELD'
  | 'BAD_COUNT'
  | 'BAD_DATE'
  | 'DATE_RANGE_REVERSED'
  | 'TOO_MANY_POLICIES'
  | 'TOO_MANY_FAILURE_DETAILS';
