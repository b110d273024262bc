import { describeJsonType, field, flagUnknownKeys, isJsonObject, optionalText, quote, type JsonObject } from './json-fields.js';
import { parsePolicy, rawFailureDetails, type FailureDetailsReader } from './policy.parser.js';
import { parseReportDateTime } from './report-datetime.js';
import { resolveReportLimits } from './report-limits.js';
import { WarningLog } from './report-warnings.js';
import type { ParseReportResult, ReportLimits, ReportPolicy, ReportRejectCode } from './report.types.js';

const REPORT_KEYS = ['organization-name', 'date-range', 'contact-info', 'report-id', 'policies'] as const;
const DATE_RANGE_KEYS = ['start-datetime', 'end-datetime'] as const;
const ONE_DAY_MS = 86_400_000;

type Rejection = { ok: false; code: ReportRejectCode; reason: string };

function reject(code: ReportRejectCode, reason: string): Rejection {
  return { ok: false, code, reason };
}

function readReportId(obj: JsonObject, log: WarningLog): { ok: true; id: string } | Rejection {
  const value = field(obj, 'report-id');
  if (value === undefined || value === null) return reject('MISSING_FIELD', 'report-id is missing');
  if (typeof value === 'number' && Number.isFinite(value)) {
    log.add('REPORT_ID_NOT_STRING', 'report-id is a number; stored as its text.', 'report-id');
    return { ok: true, id: String(value) };
  }
  if (typeof value !== 'string') return reject('MISSING_FIELD', `report-id must be a string, got ${describeJsonType(value)}`);
  // Opaque (RPT-DEV-19), kept verbatim; but an empty id cannot identify a report for dedupe.
  if (value.trim() === '') return reject('MISSING_FIELD', 'report-id is empty');
  return { ok: true, id: value };
}

const EARLIEST_DATE = new Date('0001-01-01T00:00:00Z');
const LATEST_DATE = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999));

function readDate(range: JsonObject, key: string, log: WarningLog): { ok: true; date: Date } | Rejection {
  const path = `date-range.${key}`;
  const value = field(range, key);
  if (value === undefined || value === null) return reject('MISSING_FIELD', `${path} is missing`);
  if (typeof value !== 'string') return reject('BAD_DATE', `${path} must be an RFC 3339 date-time string, got ${describeJsonType(value)}`);
  const parsed = parseReportDateTime(value);
  if (!parsed.ok) return reject('BAD_DATE', `${path} is not an RFC 3339 date-time: ${quote(value)}`);
  // A four-digit year with an offset can fall in year 0 or 10000 in UTC, which no day can be stored as.
  if (parsed.date < EARLIEST_DATE || parsed.date > LATEST_DATE) {
    return reject('BAD_DATE', `${path} ${quote(value)} is outside the years 1 to 9999 (UTC)`);
  }
  if (parsed.zoneMissing) log.add('DATETIME_NO_ZONE', `${path} ${quote(value)} has no time zone; read as UTC.`, path);
  return { ok: true, date: parsed.date };
}

function readDateRange(obj: JsonObject, log: WarningLog): { ok: true; start: Date; end: Date } | Rejection {
  const range = field(obj, 'date-range');
  if (range === undefined || range === null) return reject('MISSING_FIELD', 'date-range is missing');
  if (!isJsonObject(range)) return reject('MISSING_FIELD', `date-range must be an object, got ${describeJsonType(range)}`);
  flagUnknownKeys(range, DATE_RANGE_KEYS, 'date-range', log);
  const start = readDate(range, 'start-datetime', log);
  if (!start.ok) return start;
  const end = readDate(range, 'end-datetime', log);
  if (!end.ok) return end;
  if (start.date.getTime() > end.date.getTime()) {
    return reject(
      'DATE_RANGE_REVERSED',
      `date-range.start-datetime ${start.date.toISOString()} is after date-range.end-datetime ${end.date.toISOString()}`,
    );
  }
  // Exactly 24 h (Mail.ru's next-day 00:00:00Z end, RPT-DEV-2) is still one day.
  if (end.date.getTime() - start.date.getTime() > ONE_DAY_MS) {
    log.add('DATE_RANGE_OVER_ONE_DAY', 'date-range covers more than one day; do not bucket it as a single day.', 'date-range');
  }
  return { ok: true, start: start.date, end: end.date };
}

function readPolicies(obj: JsonObject, limits: ReportLimits, log: WarningLog, readDetails: FailureDetailsReader): { ok: true; policies: ReportPolicy[] } | Rejection {
  const value = field(obj, 'policies');
  if (value === undefined || value === null) return reject('MISSING_FIELD', 'policies is missing');
  let entries: unknown[];
  if (Array.isArray(value)) entries = value;
  else if (isJsonObject(value)) {
    log.add('POLICIES_NOT_ARRAY', 'policies is a single object, not an array; read as one policy.', 'policies');
    entries = [value];
  } else return reject('MISSING_FIELD', `policies must be an array, got ${describeJsonType(value)}`);

  if (entries.length > limits.maxPolicies) {
    return reject('TOO_MANY_POLICIES', `policies has ${entries.length} entries, more than the limit of ${limits.maxPolicies}`);
  }
  const detailCount = entries.reduce<number>((sum, entry) => sum + readDetails(entry).length, 0);
  if (detailCount > limits.maxFailureDetails) {
    return reject(
      'TOO_MANY_FAILURE_DETAILS',
      `policies[].failure-details hold ${detailCount} entries in total, more than the limit of ${limits.maxFailureDetails}`,
    );
  }
  if (entries.length === 0) log.add('POLICIES_EMPTY', 'policies is empty: the report carries no data.', 'policies');

  const policies: ReportPolicy[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const path = Array.isArray(value) ? `policies[${i}]` : 'policies';
    if (!isJsonObject(entry)) {
      log.add('POLICY_ENTRY_INVALID', `A policies entry is ${describeJsonType(entry)}, not an object; ignored.`, path);
      continue;
    }
    const parsed = parsePolicy(entry, path, log, readDetails);
    if (!parsed.ok) return parsed;
    policies.push(parsed.policy);
  }
  return { ok: true, policies };
}

/**
 * Lenient parse of an RFC 8460 report that is already JSON-decoded (spec notes §5, §7). Deviations real
 * senders make are tolerated and listed in `warnings`; only a report that cannot be identified, dated or
 * counted is rejected. Limits that are not positive integers throw (a configuration bug).
 */
export function parseReport(json: unknown, limits?: Partial<ReportLimits>): ParseReportResult {
  const resolved = resolveReportLimits(limits);
  if (!isJsonObject(json)) return reject('NOT_AN_OBJECT', `A report must be a JSON object, got ${describeJsonType(json)}`);
  return parseReportObject(json, resolved, new WarningLog());
}

/**
 * Shared with `parseReportText`, which may have logged a warning before the JSON was decoded, and which passes its own
 * `readDetails` for a report whose failure-details were split out of the text.
 */
export function parseReportObject(obj: JsonObject, limits: ReportLimits, log: WarningLog, readDetails: FailureDetailsReader = rawFailureDetails): ParseReportResult {
  flagUnknownKeys(obj, REPORT_KEYS, '', log);

  const reportId = readReportId(obj, log);
  if (!reportId.ok) return reportId;
  const range = readDateRange(obj, log);
  if (!range.ok) return range;

  const organizationName = optionalText(obj, 'organization-name', '', log);
  if (organizationName === null || organizationName.trim() === '') {
    log.add('ORGANIZATION_NAME_MISSING', 'organization-name is missing; dedupe falls back to the submitter domain.', 'organization-name');
  }
  const contactInfo = optionalText(obj, 'contact-info', '', log);
  if (contactInfo === null) {
    log.add('CONTACT_INFO_MISSING', 'contact-info is missing or null; the submitter cannot be checked against it.', 'contact-info');
  }

  const policies = readPolicies(obj, limits, log, readDetails);
  if (!policies.ok) return policies;

  return {
    ok: true,
    report: {
      organizationName: organizationName !== null && organizationName.trim() !== '' ? organizationName : null,
      dateRange: { start: range.start, end: range.end },
      contactInfo,
      reportId: reportId.id,
      policies: policies.policies,
    },
    warnings: log.toArray(),
  };
}
