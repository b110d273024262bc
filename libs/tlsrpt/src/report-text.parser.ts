import { jsonNestingExceeds } from './json-depth.js';
import { describeJsonType, isJsonObject } from './json-fields.js';
import { parseReportObject } from './report.parser.js';
import { resolveReportLimits } from './report-limits.js';
import { WarningLog } from './report-warnings.js';
import type { ParseReportResult, ReportLimits } from './report.types.js';

/**
 * Parses report JSON text. Decoding bytes (gzip, UTF-8, replacing invalid sequences) is the caller's
 * job. Nesting depth is checked on the raw text before `JSON.parse` runs (JSON_TOO_DEEP).
 */
export function parseReportText(text: string, limits?: Partial<ReportLimits>): ParseReportResult {
  const resolved = resolveReportLimits(limits);
  const log = new WarningLog();
  let body = text;
  if (body.charCodeAt(0) === 0xfeff) {
    log.add('JSON_BOM', 'The JSON text starts with a byte order mark; it was ignored.');
    body = body.slice(1);
  }
  if (jsonNestingExceeds(body, resolved.maxJsonDepth)) {
    return { ok: false, code: 'JSON_TOO_DEEP', reason: `JSON nests deeper than ${resolved.maxJsonDepth} levels` };
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
  return parseReportObject(json, resolved, log);
}
