import { splitFailureDetails, type SplitReportText } from './failure-details-split.js';
import { jsonNestingExceeds } from './json-depth.js';
import { describeJsonType, field, isJsonObject } from './json-fields.js';
import type { RawFailureDetails } from './policy.parser.js';
import { parseReportObject } from './report.parser.js';
import { resolveReportLimits } from './report-limits.js';
import { WarningLog } from './report-warnings.js';
import type { ParseReportResult, ReportLimits } from './report.types.js';

/**
 * From this length on, a report's failure-details are parsed one at a time (`failure-details-split.ts`): a 20 MiB
 * report then never exists as one object tree next to its parsed model. Smaller texts go through one JSON.parse.
 */
export const SPLIT_FROM_CHARS = 1024 * 1024;

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
  const newLog = () => {
    const log = new WarningLog();
    if (bom) log.add('JSON_BOM', 'The JSON text starts with a byte order mark; it was ignored.');
    return log;
  };
  if (jsonNestingExceeds(body, resolved.maxJsonDepth)) {
    return { ok: false, code: 'JSON_TOO_DEEP', reason: `JSON nests deeper than ${resolved.maxJsonDepth} levels` };
  }
  if (body.length >= splitFrom) {
    const split = parseSplit(body, resolved, newLog());
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
  return parseReportObject(json, resolved, newLog());
}

class NotSplittable extends Error {}

/**
 * The report parsed with its failure-details split out, or null when the whole-text parse must decide: the text is
 * malformed (its JSON.parse error message is the one to report) or the report is rejected (a syntax error further on
 * would take precedence over the rejection, as it does when the text is parsed whole).
 */
function parseSplit(body: string, limits: ReportLimits, log: WarningLog): ParseReportResult | null {
  const split = splitFailureDetails(body);
  if (!split) return null;
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

/** Every failure-details array of a policies entry is a `[n]` placeholder in the skeleton; its elements are parsed here. */
function splitDetails(entry: unknown, split: SplitReportText, body: string): RawFailureDetails {
  if (!isJsonObject(entry)) return [];
  const details = field(entry, 'failure-details');
  if (!Array.isArray(details)) return isJsonObject(details) ? [details] : [];
  const spans = typeof details[0] === 'number' && details.length === 1 ? split.arrays[details[0]] : undefined;
  if (!spans) throw new NotSplittable();
  return {
    length: spans.starts.length,
    at(index) {
      try {
        return JSON.parse(body.slice(spans.starts[index], spans.ends[index]));
      } catch {
        throw new NotSplittable();
      }
    },
  };
}
