// RFC 8460 report parser (pure). Lenient by design (spec notes §7): deviations become warnings with
// stable codes; only a report that cannot be identified, dated or counted is rejected. Decisions:
// - counts must be JSON numbers (non-negative safe integers); numeric strings are BAD_COUNT;
// - a missing summary count is stored as 0 and the policy gets countsTowardRates=false (RPT-DEV-18);
// - start after end is rejected (DATE_RANGE_REVERSED); ranges over 24 h are flagged (RPT-DEV-3);
// - result and policy types are kept verbatim; policy-domain is lower-cased and stored as A-labels.
export type {
  FailureDetail,
  ParseReportResult,
  ReportLimits,
  ReportPolicy,
  ReportRejectCode,
  ReportWarning,
  TlsReport,
} from './report.types.js';
export { SESSION_COUNT_CEILING, atMostCeiling } from './session-count.js';
export { DEFAULT_REPORT_LIMITS, resolveReportLimits } from './report-limits.js';
export { parseReport } from './report.parser.js';
export { parseReportBytes, parseReportText } from './report-text.parser.js';
export { reportDedupeKey, submitterDomainFromContact, type ReportDedupeKey } from './report-dedupe.js';
export {
  KNOWN_POLICY_TYPES,
  RESULT_TYPE_GROUPS,
  isKnownPolicyType,
  isKnownResultType,
  isPolicyFetchResultType,
  resultTypeGroup,
  type KnownPolicyType,
  type KnownResultType,
  type ResultTypeGroup,
} from './result-types.js';
export { REPORT_WARNING_CODES, MAX_WARNINGS_PER_CODE, type ReportWarningCode } from './report-warnings.js';
