export type {
  FailureDetail,
  ParseReportResult,
  ReportLimits,
  ReportPolicy,
  ReportRejectCode,
  ReportWarning,
  TlsReport,
} from './report.types.js';
export { DEFAULT_REPORT_LIMITS, resolveReportLimits } from './report-limits.js';
export { parseReport } from './report.parser.js';
export { parseReportText } from './report-text.parser.js';
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
