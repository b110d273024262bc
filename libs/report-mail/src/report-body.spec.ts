import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { withTexts } from './testing/decoded-texts.js';
import { decodeReportPayload } from './decode-payload.js';
import { compressReportText, decodeStoredReport, storedReportText } from './report-body.js';

const report = JSON.stringify({ 'organization-name': 'Body Test', 'report-id': 'b1', note: 'déjà vu ✓ 𝄞', policies: [] });

describe('stored report body', () => {
  it('a compressed text decodes back to the same text, non-ASCII included', () => {
    expect(decodeStoredReport(compressReportText(report))).toBe(report);
  });

  it('a gzip attachment stored as received decodes to the text parsed at receipt (BOM and several members)', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const half = Math.floor(report.length / 2);
    const received = Buffer.concat([gzipSync(bom), gzipSync(strToU8(report.slice(0, half))), gzipSync(strToU8(report.slice(half)))]);
    const atReceipt = decodeReportPayload(received);
    expect(withTexts(atReceipt)).toEqual({ ok: true, container: 'gzip', jsons: [report] });
    expect(decodeStoredReport(received)).toBe(report);
  });

  it('is not bound by the receipt cap: a body accepted under a larger cap still reads', () => {
    const big = JSON.stringify({ filler: 'x'.repeat(21 * 1024 * 1024) });
    expect(decodeStoredReport(compressReportText(big))).toHaveLength(big.length);
  });

  it('a report row reads from report_text when it has one (rows stored before report_gz), else from report_gz', () => {
    expect(storedReportText({ report_text: 'legacy', report_gz: null })).toBe('legacy');
    expect(storedReportText({ report_text: null, report_gz: compressReportText(report) })).toBe(report);
    expect(() => storedReportText({ report_text: null, report_gz: null })).toThrow(/neither/);
  });

  it('refuses bytes that are not a single gzip report', () => {
    expect(() => decodeStoredReport(strToU8(report))).toThrow(/not gzip/);
    expect(() => decodeStoredReport(gzipSync(strToU8(report)).subarray(0, 20))).toThrow(/cannot be decoded/);
  });

  it('refuses a text with a leading BOM (decoding would drop it)', () => {
    expect(() => compressReportText('\ufeff' + report)).toThrow(/byte order mark/);
  });
});
