import { splitFailureDetails, utf8Slice, type SplitReportText } from './failure-details-split.js';
import { jsonNestingExceeds } from './json-depth.js';
import { describeJsonType, field, isJsonObject } from './json-fields.js';
import type { RawFailureDetails } from './policy.parser.js';
import { parseReportObject } from './report.parser.js';
import { resolveReportLimits } from './report-limits.js';
import { WarningLog } from './report-warnings.js';
import type { ParseReportResult, ReportLimits } from './report.types.js';

/**
 * From this length on, a report text's failure-details are parsed a batch at a time (`failure-details-split.ts`): a
 * 20 MiB report then never exists as one object tree next to its parsed model. Smaller texts go through one JSON.parse.
 */
export const SPLIT_FROM_CHARS = 1024 * 1024;

/**
 * From this many bytes on, `parseReportBytes` parses a report from its bytes in pieces and never makes it one string:
 * V8 gives every string over 128 KiB a memory mapping of its own, and filling a fresh one took longer than parsing
 * the text (a 1 MB report: ~3 ms against ~2 ms, in isolation).
 */
export const SPLIT_FROM_BYTES = 128 * 1024;

/** Failure details parsed per JSON.parse on the split path: a batch spans at most this many bytes of the text. */
const BATCH_BYTES = 64 * 1024;

const utf8Encoder = new TextEncoder();

/**
 * Parses a report from its JSON as valid UTF-8 bytes (what `decodeReportPayload` gives). The same answers as
 * `parseReportText` of the decoded text, byte order mark included.
 */
export function parseReportBytes(bytes: Uint8Array, limits?: Partial<ReportLimits>): ParseReportResult {
  if (bytes.length < SPLIT_FROM_BYTES) return parseReportText(utf8Slice(bytes, 0, bytes.length), limits);
  const resolved = resolveReportLimits(limits);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  // The split measures the nesting depth as it walks (checked in `parseSplit` before any JSON.parse); text it cannot
  // split goes to the whole-text parse, which checks the depth itself.
  const split = parseSplit(body, resolved, newLog(bom));
  // Malformed or rejected: the whole text decides, as it would have without the split.
  return split ?? parseReportTextSplitFrom(utf8Slice(bytes, 0, bytes.length), limits, Infinity);
}

/**
 * Parses report JSON text. Decoding bytes (gzip, UTF-8, replacing invalid sequences) is the caller's
 * job. Nesting depth is checked on the raw text before `JSON.parse` runs (JSON_TOO_DEEP).
 */
export function parseReportText(text: string, limits?: Partial<ReportLimits>): ParseReportResult {
  return parseReportTextSplitFrom(text, limits, SPLIT_FROM_CHARS);
}

/** `parseReportText` with the split threshold as a parameter (tests use 0 to run every report through the split). */
export function parseReportTextSplitFrom(text: string, limits: Partial<ReportLimits> | undefined, splitFrom: number): ParseReportResult {
  const resolved = resolveReportLimits(limits);
  const bom = text.charCodeAt(0) === 0xfeff;
  const body = bom ? text.slice(1) : text;
  if (jsonNestingExceeds(body, resolved.maxJsonDepth)) return tooDeep(resolved);
  if (body.length >= splitFrom) {
    const split = parseSplit(utf8Encoder.encode(body), resolved, newLog(bom));
    if (split) return split;
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'unknown error';
    return { ok: false, code: 'JSON_INVALID', reason: `The report is not valid JSON: ${detail}` };
  }
  if (!isJsonObject(json)) {
    return { ok: false, code: 'NOT_AN_OBJECT', reason: `A report must be a JSON object, got ${describeJsonType(json)}` };
  }
  return parseReportObject(json, resolved, newLog(bom));
}

function tooDeep(limits: ReportLimits): ParseReportResult {
  return { ok: false, code: 'JSON_TOO_DEEP', reason: `JSON nests deeper than ${limits.maxJsonDepth} levels` };
}

function newLog(bom: boolean): WarningLog {
  const log = new WarningLog();
  if (bom) log.add('JSON_BOM', 'The JSON text starts with a byte order mark; it was ignored.');
  return log;
}

class NotSplittable extends Error {}

/**
 * The report parsed with its failure-details split out, or null when the whole-text parse must decide: the text is
 * malformed (its JSON.parse error message is the one to report) or the report is rejected (a syntax error further on
 * would take precedence over the rejection, as it does when the text is parsed whole). JSON_TOO_DEEP, before any
 * JSON.parse, when the walk found arrays and objects nested past the limit: the whole text gives the same answer
 * (its depth check runs first).
 */
function parseSplit(body: Uint8Array, limits: ReportLimits, log: WarningLog): ParseReportResult | null {
  const split = splitFailureDetails(body);
  if (!split) return null;
  if (split.maxDepth > limits.maxJsonDepth) return tooDeep(limits);
  let skeleton: unknown;
  try {
    skeleton = JSON.parse(split.skeleton);
  } catch {
    return null;
  }
  if (!isJsonObject(skeleton)) return null;
  try {
    const result = parseReportObject(skeleton, limits, log, (entry) => splitDetails(entry, split, body));
    return result.ok ? result : null;
  } catch (err) {
    if (err instanceof NotSplittable) return null;
    throw err;
  }
}

/**
 * Every failure-details array of a policies entry is a `[n]` placeholder in the skeleton; its elements are parsed
 * here, a batch of consecutive ones per JSON.parse (the bytes between them are the separators the split checked).
 */
function splitDetails(entry: unknown, split: SplitReportText, body: Uint8Array): RawFailureDetails {
  if (!isJsonObject(entry)) return [];
  const details = field(entry, 'failure-details');
  if (!Array.isArray(details)) return isJsonObject(details) ? [details] : [];
  const spans = typeof details[0] === 'number' && details.length === 1 ? split.arrays[details[0]] : undefined;
  if (!spans) throw new NotSplittable();
  const { starts, ends } = spans;
  let batch: unknown[] = [];
  let batchStart = 0;
  return {
    length: starts.length,
    at(index) {
      if (index < batchStart || index >= batchStart + batch.length) {
        let last = index;
        while (last + 1 < starts.length && ends[last + 1] - starts[index] <= BATCH_BYTES) last++;
        try {
          batch = JSON.parse(`[${utf8Slice(body, starts[index], ends[last])}]`) as unknown[];
        } catch {
          throw new NotSplittable();
        }
        batchStart = index;
      }
      return batch[index - batchStart];
    },
  };
}
