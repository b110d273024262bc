import { normalizeDomainText } from './domain-text.js';
import { parseFailureDetail, SharedTexts } from './failure-detail.parser.js';
import { describeJsonType, field, fieldPath, flagUnknownKeys, isJsonObject, quote, readCount, type JsonObject } from './json-fields.js';
import type { WarningLog } from './report-warnings.js';
import type { FailureDetail, ReportPolicy, ReportRejectCode } from './report.types.js';
import { isKnownPolicyType } from './result-types.js';

const ENTRY_KEYS = ['policy', 'summary', 'failure-details'] as const;
const POLICY_KEYS = ['policy-type', 'policy-string', 'policy-domain', 'mx-host', 'mx-host-pattern'] as const;
const SUMMARY_KEYS = ['total-successful-session-count', 'total-failure-session-count'] as const;

export type PolicyParse = { ok: true; policy: ReportPolicy } | { ok: false; code: ReportRejectCode; reason: string };

/** A policy entry's failure-details entries as sent: how many, and each one (decoded on demand by a split report). */
export interface RawFailureDetails {
  readonly length: number;
  at(index: number): unknown;
}

export type FailureDetailsReader = (entry: unknown) => RawFailureDetails;

/** The failure-details array of a policy entry as sent, for counting against the cap before parsing. */
export function rawFailureDetails(entry: unknown): unknown[] {
  if (!isJsonObject(entry)) return [];
  const details = field(entry, 'failure-details');
  if (Array.isArray(details)) return details;
  return isJsonObject(details) ? [details] : [];
}

function readPolicyType(policy: JsonObject, path: string, log: WarningLog): string {
  const value = field(policy, 'policy-type');
  if (typeof value === 'string' && value !== '') {
    if (!isKnownPolicyType(value)) {
      log.add('POLICY_TYPE_UNKNOWN', `Policy type ${quote(value)} is unknown; the policy is excluded from rates.`, `${path}.policy-type`);
    }
    return value;
  }
  log.add('POLICY_TYPE_MISSING', `policy-type is missing or not a string (${describeJsonType(value)}); the policy is excluded from rates.`, `${path}.policy-type`);
  return '';
}

function readPolicyDomain(policy: JsonObject, path: string, log: WarningLog): string | null {
  const value = field(policy, 'policy-domain');
  if (typeof value !== 'string' || value.trim() === '') {
    log.add('POLICY_DOMAIN_MISSING', 'policy-domain is missing or empty; the policy is excluded from rates.', `${path}.policy-domain`);
    return null;
  }
  const normalized = normalizeDomainText(value);
  if (!normalized.ok) {
    log.add('POLICY_DOMAIN_INVALID', `policy-domain ${quote(value)} is not a valid domain name; it is kept, lower-cased.`, `${path}.policy-domain`);
  } else if (normalized.wasUnicode) {
    log.add('POLICY_DOMAIN_NOT_A_LABEL', `policy-domain ${quote(value)} uses U-labels; stored as ${normalized.domain}.`, `${path}.policy-domain`);
  }
  return normalized.domain;
}

function readPolicyString(policy: JsonObject, policyType: string, path: string, log: WarningLog): string[] {
  const p = `${path}.policy-string`;
  const value = field(policy, 'policy-string');
  if (value === undefined || value === null) {
    // no-policy-found carries no policy by definition (RPT-JSON-5).
    if (policyType !== 'no-policy-found') log.add('POLICY_STRING_MISSING', 'policy-string is absent.', p);
    return [];
  }
  let lines: unknown[];
  if (Array.isArray(value)) lines = value;
  else if (typeof value === 'string') {
    log.add('POLICY_STRING_INVALID', 'policy-string is a string, not an array; read as one line.', p);
    lines = [value];
  } else {
    log.add('POLICY_STRING_INVALID', `policy-string is ${describeJsonType(value)}; ignored.`, p);
    return [];
  }
  const kept = lines.filter((line): line is string => typeof line === 'string');
  if (kept.length !== lines.length) log.add('POLICY_STRING_INVALID', 'policy-string entries that are not strings were ignored.', p);

  if (policyType === 'tlsa' && kept.some((line) => isPackedJsonArray(line))) {
    log.add('POLICY_STRING_PACKED_JSON', 'The TLSA policy-string holds a JSON-encoded array in one string; kept as sent.', p);
  }
  // RFC 8461 allows "key:value"; some consumers split on ": " (RPT-DEV-15). Lines are kept verbatim.
  if (policyType === 'sts' && kept.some((line) => /^[A-Za-z0-9_]+:(?![ \t])/.test(line))) {
    log.add('POLICY_STRING_NO_SPACE', 'A policy-string line has no space after ":" (e.g. "version:STSv1").', p);
  }
  return kept;
}

function isPackedJsonArray(line: string): boolean {
  const text = line.trim();
  if (!text.startsWith('[')) return false;
  try {
    const decoded: unknown = JSON.parse(text);
    return Array.isArray(decoded) && decoded.every((rr) => typeof rr === 'string');
  } catch {
    return false;
  }
}

/** mx-host normalised to bare patterns: string → [string], "mx: host" → "host", mx-host-pattern read too (RPT-DEV-4/5/6). */
function readMxHost(policy: JsonObject, path: string, log: WarningLog): string[] {
  let key = 'mx-host';
  let value = field(policy, key);
  if (value === undefined || value === null) {
    const pattern = field(policy, 'mx-host-pattern');
    if (pattern === undefined || pattern === null) return [];
    key = 'mx-host-pattern';
    value = pattern;
    log.add('MX_HOST_PATTERN_KEY', 'mx-host-pattern was read in place of mx-host.', `${path}.${key}`);
  }
  const p = `${path}.${key}`;
  let entries: unknown[];
  if (typeof value === 'string') {
    log.add('MX_HOST_STRING', `${key} is a string, not an array.`, p);
    entries = [value];
  } else if (Array.isArray(value)) entries = value;
  else {
    log.add('MX_HOST_INVALID', `${key} is ${describeJsonType(value)}; ignored.`, p);
    return [];
  }
  const hosts: string[] = [];
  let prefixed = false;
  let invalid = false;
  for (const entry of entries) {
    if (typeof entry !== 'string') {
      invalid = true;
      continue;
    }
    const stripped = entry.trim().replace(/^mx:[ \t]*/i, '');
    if (stripped !== entry.trim()) prefixed = true;
    if (stripped === '') invalid = true;
    else hosts.push(stripped);
  }
  if (prefixed) log.add('MX_HOST_PREFIX', `${key} entries carry the "mx:" policy-line prefix; it was stripped.`, p);
  if (invalid) log.add('MX_HOST_INVALID', `${key} entries that are empty or not strings were ignored.`, p);
  return hosts;
}

/**
 * One `policies[]` entry. A missing summary count (RPT-DEV-18) is stored as 0 and the policy is
 * flagged and excluded from rates (`countsTowardRates=false`): a 0 we made up must never count as
 * "no failures". Present but malformed counts reject the report (BAD_COUNT).
 */
export function parsePolicy(entry: JsonObject, path: string, log: WarningLog, readDetails: FailureDetailsReader = rawFailureDetails): PolicyParse {
  flagUnknownKeys(entry, ENTRY_KEYS, path, log);

  const rawPolicy = field(entry, 'policy');
  const policyPath = `${path}.policy`;
  // A missing policy object reads as an empty one: type and domain are then flagged as missing.
  const policy: JsonObject = isJsonObject(rawPolicy) ? rawPolicy : {};
  flagUnknownKeys(policy, POLICY_KEYS, policyPath, log);
  const policyType = readPolicyType(policy, policyPath, log);
  const policyDomain = readPolicyDomain(policy, policyPath, log);

  const summaryPath = `${path}.summary`;
  const rawSummary = field(entry, 'summary');
  const summary: JsonObject = isJsonObject(rawSummary) ? rawSummary : {};
  if (isJsonObject(rawSummary)) flagUnknownKeys(summary, SUMMARY_KEYS, summaryPath, log);
  const missing = new Set<string>();
  const counts: number[] = [];
  for (const key of SUMMARY_KEYS) {
    const count = readCount(summary, key, summaryPath);
    if (count.kind === 'bad') return { ok: false, code: 'BAD_COUNT', reason: count.reason };
    if (count.kind === 'missing') {
      missing.add(key);
      log.add('POLICY_COUNT_MISSING', `${key} is missing; 0 is stored and the policy is excluded from rates.`, fieldPath(summaryPath, key));
    }
    counts.push(count.kind === 'ok' ? count.value : 0);
  }
  const [totalSuccessfulSessionCount = 0, totalFailureSessionCount = 0] = counts;

  const detailsPath = `${path}.failure-details`;
  const rawDetails = field(entry, 'failure-details');
  if (rawDetails === undefined || rawDetails === null) {
    // Senders routinely omit the array when nothing failed; only its absence beside failures is a deviation.
    if (totalFailureSessionCount > 0) {
      log.add('FAILURE_DETAILS_MISSING', 'failure-details is absent although the summary counts failures.', detailsPath);
    }
  } else if (!Array.isArray(rawDetails)) {
    const handling = isJsonObject(rawDetails) ? 'read as one failure detail' : 'ignored';
    log.add('FAILURE_DETAILS_INVALID', `failure-details is ${describeJsonType(rawDetails)}, not an array; ${handling}.`, detailsPath);
  }
  const failureDetails: FailureDetail[] = [];
  const items = readDetails(entry);
  const shared = new SharedTexts();
  for (let i = 0; i < items.length; i++) {
    const item = items.at(i);
    const itemPath = Array.isArray(rawDetails) ? `${detailsPath}[${i}]` : detailsPath;
    if (!isJsonObject(item)) {
      log.add('FAILURE_DETAIL_INVALID', `A failure detail is ${describeJsonType(item)}, not an object; ignored.`, itemPath);
      continue;
    }
    const parsed = parseFailureDetail(item, itemPath, log, shared);
    if (!parsed.ok) return parsed;
    failureDetails.push(parsed.detail);
  }

  const failureSum = failureDetails.reduce((sum, d) => sum + d.failedSessionCount, 0);
  if (!missing.has('total-failure-session-count') && failureSum > totalFailureSessionCount) {
    log.add(
      'FAILURE_SUM_ABOVE_TOTAL',
      `failure-details add up to ${failureSum} sessions, more than total-failure-session-count ${totalFailureSessionCount}; rates use the total.`,
      detailsPath,
    );
  }

  return {
    ok: true,
    policy: {
      policyType,
      policyDomain,
      policyString: readPolicyString(policy, policyType, policyPath, log),
      mxHost: readMxHost(policy, policyPath, log),
      totalSuccessfulSessionCount,
      totalFailureSessionCount,
      failureDetails,
      countsTowardRates: isKnownPolicyType(policyType) && policyDomain !== null && missing.size === 0,
    },
  };
}
