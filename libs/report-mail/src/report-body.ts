import { gzipSync } from 'node:zlib';
import { decodeReportPayload } from './decode-payload.js';
import { ReportJson } from './report-json.js';

/**
 * The stored form of a report's JSON (`report.report_gz`): gzip bytes that `decodeStoredReport` turns back into exactly
 * the text that was parsed. A gzip attachment is stored as received; other texts (zip entries, plain JSON, re-parsed
 * quarantine text) are compressed here. `text` must come from `decodeReportPayload`, which never leaves a leading BOM
 * (a `ReportJson` holds none).
 */
export function compressReportText(text: string | ReportJson): Buffer {
  if (text instanceof ReportJson) return gzipSync(text.bytes);
  if (text.charCodeAt(0) === 0xfeff) throw new Error('compressReportText: the text starts with a byte order mark, which decoding would drop');
  return gzipSync(Buffer.from(text, 'utf8'));
}

/** The report JSON text of a stored body, decoded exactly as at receipt (the caps were enforced then). */
export function decodeStoredReport(gz: Uint8Array): string {
  const decoded = decodeReportPayload(gz, { maxDecompressedBytes: Number.MAX_SAFE_INTEGER });
  if (!decoded.ok) throw new Error(`stored report body cannot be decoded: ${decoded.reason}`);
  if (decoded.container !== 'gzip' || decoded.jsons.length !== 1) throw new Error(`stored report body is ${decoded.container}, not gzip`);
  return decoded.jsons[0].text;
}

/**
 * The report JSON text of a `report` row: `report_text` for rows stored before `report_gz` existed, else the decoded
 * body (the table's check constraint guarantees one of the two).
 */
export function storedReportText(row: { report_text: string | null; report_gz: Uint8Array | null }): string {
  if (row.report_text !== null) return row.report_text;
  if (row.report_gz === null) throw new Error('report row has neither report_text nor report_gz');
  return decodeStoredReport(row.report_gz);
}
