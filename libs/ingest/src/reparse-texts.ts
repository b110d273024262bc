import { decodeReportPayload, extractReportsFromMail, sniffReportBytes } from '@app/report-mail';
import type { IngestLimits } from './ingest.types.js';

export type ReparseSource = { ok: true; texts: string[] } | { ok: false; code: string; reason: string };

/**
 * The report JSON texts of one quarantined part: the stored text when there is one; otherwise the part is decoded again
 * from the kept raw bytes (a bare payload from HTTPS or a file import, or the MIME part at the same index of a mail).
 */
export async function reparseTexts(
  q: { report_text: string | null; part_index: number | null },
  bytes: Buffer | null,
  limits: IngestLimits,
): Promise<ReparseSource> {
  if (q.report_text !== null) return { ok: true, texts: [q.report_text] };
  if (bytes === null) return { ok: false, code: 'RAW_PURGED', reason: 'the raw message bytes were removed by retention' };
  if (sniffReportBytes(bytes) !== 'unknown') {
    const decoded = decodeReportPayload(bytes, { maxDecompressedBytes: limits.maxDecompressedBytes });
    return decoded.ok ? { ok: true, texts: decoded.jsons.map((json) => json.text) } : { ok: false, code: decoded.code, reason: decoded.reason };
  }
  const extraction = await extractReportsFromMail(bytes, {
    maxMessageBytes: limits.maxMessageBytes,
    maxDecompressedBytes: limits.maxDecompressedBytes,
    maxParts: limits.maxMimeParts,
  });
  const part = extraction.candidates.find((c) => c.partIndex === q.part_index);
  if (!part) return { ok: false, code: 'PART_NOT_FOUND', reason: `part ${q.part_index} is no longer found in the message` };
  if (part.error || part.json === undefined) {
    return { ok: false, code: part.error?.code ?? 'NOT_DECODED', reason: part.error?.reason ?? 'the report part could not be decoded' };
  }
  return { ok: true, texts: [part.json.text] };
}
