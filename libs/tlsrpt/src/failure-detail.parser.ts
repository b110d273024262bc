import { canonicalIpText } from './ip-text.js';
import { describeJsonType, field, fieldPath, quote, flagUnknownKeys, optionalText, readCount, type JsonObject } from './json-fields.js';
import type { WarningLog } from './report-warnings.js';
import type { FailureDetail, ReportRejectCode } from './report.types.js';
import { knownResultType } from './result-types.js';

const FAILURE_DETAIL_KEYS = [
  'result-type',
  'sending-mta-ip',
  'receiving-mx-hostname',
  'receiving-mx-helo',
  'receiving-ip',
  'failed-session-count',
  'additional-information',
  'additional-info-uri',
  'failure-reason-code',
] as const;

export type FailureDetailParse =
  | { ok: true; detail: FailureDetail }
  | { ok: false; code: ReportRejectCode; reason: string };

// A URI per RFC 3986 starts with a scheme; anything with whitespace is not one.
const LOOKS_LIKE_URI = /^[a-z][a-z0-9+.-]*:\S+$/i;

function readIp(obj: JsonObject, key: string, path: string, log: WarningLog): { raw: string | null; parsed: string | null } {
  const raw = optionalText(obj, key, path, log);
  if (raw === null) {
    log.add('FAILURE_FIELD_MISSING', `${key} is missing or empty.`, fieldPath(path, key));
    return { raw: null, parsed: null };
  }
  // The raw text is kept when it is already canonical: one string per address instead of two in a 75,000-row report.
  const canonical = canonicalIpText(raw);
  const parsed = canonical === raw ? raw : canonical;
  if (parsed === null) {
    log.add('IP_INVALID', `${key} ${quote(raw)} is not an IP address; the text is kept as sent.`, fieldPath(path, key));
  } else if (parsed !== raw) {
    log.add('IP_NOT_CANONICAL', `${key} ${quote(raw)} is not in canonical form (${parsed}).`, fieldPath(path, key));
  }
  return { raw, parsed };
}

function readAdditionalInformation(obj: JsonObject, path: string, log: WarningLog): string | null {
  let key = 'additional-information';
  let value = optionalText(obj, key, path, log);
  if (value === null && field(obj, 'additional-info-uri') !== undefined) {
    key = 'additional-info-uri';
    value = optionalText(obj, key, path, log);
    log.add('ADDITIONAL_INFO_URI_KEY', 'additional-info-uri was read in place of additional-information.', fieldPath(path, key));
  }
  if (value !== null && !LOOKS_LIKE_URI.test(value)) {
    log.add('ADDITIONAL_INFORMATION_NOT_URI', `${key} is not a URI; it is kept as opaque text.`, fieldPath(path, key));
  }
  return value;
}

/**
 * The receiving side (MX name, HELO, address) repeats across a policy's rows: with one of these per policy, the rows
 * share one string per value instead of each holding its own copy (a bounded number of values is remembered).
 */
export class SharedTexts {
  private readonly seen = new Map<string, string>();

  share<T extends string | null>(text: T): T {
    if (text === null) return text;
    const known = this.seen.get(text);
    if (known !== undefined) return known as T;
    if (this.seen.size < 1000) this.seen.set(text, text);
    return text;
  }
}

export function parseFailureDetail(obj: JsonObject, path: string, log: WarningLog, shared = new SharedTexts()): FailureDetailParse {
  flagUnknownKeys(obj, FAILURE_DETAIL_KEYS, path, log);

  const rawType = field(obj, 'result-type');
  let resultType = '';
  if (typeof rawType === 'string' && rawType !== '') {
    const known = knownResultType(rawType);
    resultType = known ?? rawType;
    if (known === null) {
      log.add('RESULT_TYPE_UNKNOWN', `Result type ${quote(rawType)} is not registered; it is kept verbatim.`, fieldPath(path, 'result-type'));
    }
  } else {
    log.add('RESULT_TYPE_MISSING', `result-type is missing or not a string (${describeJsonType(rawType)}).`, fieldPath(path, 'result-type'));
  }

  const count = readCount(obj, 'failed-session-count', path);
  if (count.kind === 'bad') return { ok: false, code: 'BAD_COUNT', reason: count.reason };
  if (count.kind === 'missing') {
    log.add('FAILED_SESSION_COUNT_MISSING', 'failed-session-count is missing; 0 is stored.', fieldPath(path, 'failed-session-count'));
  }

  const sending = readIp(obj, 'sending-mta-ip', path, log);
  const receiving = readIp(obj, 'receiving-ip', path, log);
  const mxHostname = optionalText(obj, 'receiving-mx-hostname', path, log);
  if (mxHostname === null) {
    log.add('FAILURE_FIELD_MISSING', 'receiving-mx-hostname is missing or empty.', fieldPath(path, 'receiving-mx-hostname'));
  }

  const receivingIp = shared.share(receiving.raw);
  return {
    ok: true,
    detail: {
      resultType,
      sendingMtaIp: sending.raw,
      sendingMtaIpParsed: sending.parsed,
      receivingIp,
      receivingIpParsed: receiving.parsed === receiving.raw ? receivingIp : shared.share(receiving.parsed),
      receivingMxHostname: shared.share(mxHostname),
      receivingMxHelo: shared.share(optionalText(obj, 'receiving-mx-helo', path, log)),
      failedSessionCount: count.kind === 'ok' ? count.value : 0,
      additionalInformation: readAdditionalInformation(obj, path, log),
      failureReasonCode: optionalText(obj, 'failure-reason-code', path, log),
    },
  };
}
