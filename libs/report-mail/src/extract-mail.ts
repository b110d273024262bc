import { simpleParser, type ParsedMail } from 'mailparser';
import { decodeReportPayload, type DecodeErrorCode, type DecodeResult } from './decode-payload.js';
import { DEFAULT_MAIL_CAPS, requirePositiveCap, type MailCaps } from './mail-caps.js';
import { emptyHeaders, headersOf, simpleHeadersOf } from './mail-headers.js';
import type { ReportHeaders } from './report-headers.js';
import type { ReportJson } from './report-json.js';
import { readSimpleMail, type MailPart } from './simple-mime.js';
import { sniffReportBytes, type PayloadKind } from './sniff.js';

export interface ReportCandidate {
  partIndex: number;
  filename: string | null;
  declaredType: string | null;
  container: PayloadKind;
  /** The decoded JSON, when the part could be decoded. */
  json?: ReportJson;
  /** The part's bytes when they are the gzip of `json`: stored as the report body without compressing it again. */
  gzip?: Uint8Array;
  error?: { code: DecodeErrorCode | 'MESSAGE_TOO_LARGE'; reason: string };
}

export interface MailExtraction {
  headers: ReportHeaders;
  candidates: ReportCandidate[];
  /** reports: ≥1 decoded; quarantine: a report part was found but none decoded; no-report: nothing report-like. */
  outcome: 'reports' | 'quarantine' | 'no-report';
  /** Why the outcome is quarantine or no-report; for reports, only a note when parts past the cap were skipped. */
  reason: string | null;
}

/** A text part is read as JSON only with a JSON-ish type (`text/json`, `text/tlsrpt+json`...) or as an attachment. */
const JSONISH_TEXT_TYPE = /^text\/([\w.-]+\+)?(json|tlsrpt)\b/i;

/**
 * Finds every report in a mail: the `multipart/report; report-type=tlsrpt` attachment, and any leaf part whose bytes
 * sniff as gzip, zip or JSON whatever its declared type, name or transfer encoding (RPT-DEV-21/22). The human-readable
 * body parts (inline text/plain, text/html) are never read as reports. `partIndex` counts the non-body parts
 * (mailparser's attachments) in message order; a zip with several JSON entries yields one candidate per entry.
 * A message over `maxMessageBytes` is not parsed at all (simpleParser holds every part in memory). The plain
 * layout most reporters send is read by simple-mime without mailparser (a third of the CPU of an SMTP delivery).
 */
export async function extractReportsFromMail(raw: Buffer, caps: MailCaps = DEFAULT_MAIL_CAPS): Promise<MailExtraction> {
  const maxMessageBytes = requirePositiveCap('maxMessageBytes', caps.maxMessageBytes);
  requirePositiveCap('maxParts', caps.maxParts);
  requirePositiveCap('maxDecompressedBytes', caps.maxDecompressedBytes);
  if (raw.length > maxMessageBytes) {
    // The transport should have refused it already; never hand an unbounded message to simpleParser.
    const reason = `the message of ${raw.length} bytes exceeds the MAX_MESSAGE_BYTES cap of ${maxMessageBytes} bytes and was not parsed`;
    const candidate: ReportCandidate = { partIndex: 0, filename: null, declaredType: null, container: 'unknown', error: { code: 'MESSAGE_TOO_LARGE', reason } };
    return { headers: emptyHeaders(), candidates: [candidate], outcome: 'quarantine', reason };
  }
  const simple = readSimpleMail(raw);
  const simpleHeaders = simple && simpleHeadersOf(simple.headers);
  if (simple && simpleHeaders) {
    // A no-report answer describes the body text, which only mailparser reads.
    const fast = extractionOf(simpleHeaders, simple.attachments, caps);
    if (fast.outcome !== 'no-report') return fast;
  }
  return extractWithMailparser(raw, caps);
}

/** The general path, for every mail simple-mime does not read; exported for simple-mime.spec.ts. */
export async function extractWithMailparser(raw: Buffer, caps: MailCaps): Promise<MailExtraction> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  } catch (err) {
    return {
      headers: emptyHeaders(),
      candidates: [],
      outcome: 'no-report',
      reason: `the message could not be parsed as MIME: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  return extractionOf(headersOf(parsed), parsed.attachments ?? [], caps, (examined, capped) => describeNoReport(parsed, examined, capped));
}

function extractionOf(
  headers: ReportHeaders,
  parts: MailPart[],
  caps: MailCaps,
  describeNone: (examined: MailPart[], capped: boolean) => string = () => 'no report part',
): MailExtraction {
  const { maxParts } = caps;
  const examined = parts.slice(0, maxParts);
  const candidates: ReportCandidate[] = [];
  // One budget for the whole message, so 100 parts of 20 MiB each cannot hold 2 GiB of text at once.
  const budget = { cap: caps.maxDecompressedBytes, used: 0 };
  examined.forEach((part, partIndex) => {
    const candidate = candidateOf(part, partIndex, budget);
    if (candidate) candidates.push(...candidate);
  });
  const skipped = parts.length - examined.length;
  const note = skipped > 0 ? ` (${skipped} of ${parts.length} parts past the MAX_MIME_PARTS cap of ${maxParts} were not examined)` : '';

  if (candidates.some((c) => c.json !== undefined)) return { headers, candidates, outcome: 'reports', reason: note.trim() || null };
  if (candidates.length) {
    return { headers, candidates, outcome: 'quarantine', reason: candidates.map((c) => c.error?.reason).filter(Boolean).join('; ') + note };
  }
  return { headers, candidates, outcome: 'no-report', reason: describeNone(examined, skipped > 0) + note };
}

function candidateOf(part: MailPart, partIndex: number, budget: { cap: number; used: number }): ReportCandidate[] | null {
  const bytes = part.content;
  const declaredType = part.contentType ?? null;
  const filename = part.filename ?? null;
  const container = sniffReportBytes(bytes);
  // The part's fields first, then what was found: on Node 20 a literal that starts with a spread
  // (`{ ...base, json, ...gzip }`) took ~2 µs a report, this one ~0.1 µs.
  const candidate = (found: Pick<ReportCandidate, 'json' | 'gzip' | 'error'>): ReportCandidate => ({ partIndex, filename, declaredType, container, ...found });
  if (container === 'unknown') {
    // Declared as a report but the bytes are not one: keep it (quarantine) rather than drop it silently.
    if (declaredType && /^application\/tlsrpt/i.test(declaredType)) {
      return [candidate({ error: { code: 'NOT_A_REPORT', reason: `part ${partIndex} is declared ${declaredType} but its bytes are neither gzip, zip nor JSON` } })];
    }
    return null;
  }
  // Other text parts are human-readable (a note, a CSV, a pasted log) even when they start with `{`.
  if (container === 'json' && /^text\//i.test(declaredType ?? '') && !JSONISH_TEXT_TYPE.test(declaredType!) && part.contentDisposition !== 'attachment') {
    return null;
  }
  const remaining = budget.cap - budget.used;
  const decoded: DecodeResult = remaining > 0 ? decodeReportPayload(bytes, { maxDecompressedBytes: remaining }) : { ok: false, code: 'DECOMPRESSED_TOO_LARGE', reason: '' };
  if (!decoded.ok) {
    const reason =
      decoded.code === 'DECOMPRESSED_TOO_LARGE' && budget.used > 0
        ? `the reports in this message together exceed the MAX_DECOMPRESSED_BYTES cap of ${budget.cap} bytes`
        : decoded.reason;
    return [candidate({ error: { code: decoded.code, reason } })];
  }
  budget.used += decoded.jsons.reduce((sum, json) => sum + json.bytes.length, 0);
  return decoded.jsons.map((json) => candidate(decoded.container === 'gzip' ? { json, gzip: bytes } : { json }));
}

function describeNoReport(parsed: ParsedMail, examined: MailPart[], capped: boolean): string {
  if (examined.length === 0) {
    const kinds = [parsed.text ? 'text/plain' : null, parsed.html ? 'text/html' : null].filter(Boolean).join(' and ');
    return `no attachment; the message has ${kinds || 'no body'} only`;
  }
  const types = [...new Set(examined.map((p) => p.contentType))].join(', ');
  return `none of ${capped ? 'the first' : 'its'} ${examined.length} attachment(s) (${types}) holds gzip, zip or JSON data`;
}
