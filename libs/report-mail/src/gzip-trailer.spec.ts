import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { withTexts } from './testing/decoded-texts.js';
import { decodeReportPayload } from './decode-payload.js';

const caps = { maxDecompressedBytes: 1024 * 1024 };
const report = JSON.stringify({ 'organization-name': 'Trailer Inc.', 'report-id': 'trailer-1', policies: [], filler: 'x'.repeat(200) });

describe('gzip trailer check (issue 9 corpus)', () => {
  it('every cut of a gzip member short of its full length is GZIP_CORRUPT, never partial JSON', () => {
    const full = gzipSync(strToU8(report), { mtime: 0 });
    const codes = new Set<string>();
    for (let cut = 2; cut < full.length; cut++) {
      const r = decodeReportPayload(full.subarray(0, cut), caps);
      codes.add(r.ok ? 'ok' : r.code);
    }
    expect([...codes]).toEqual(['GZIP_CORRUPT']);
  });

  it('a complete member still decodes', () => {
    expect(withTexts(decodeReportPayload(gzipSync(strToU8(report), { mtime: 0 }), caps))).toEqual({ ok: true, container: 'gzip', jsons: [report] });
  });

  // A gzip this small is inflated in one call into a buffer of the size its trailer announces; the trailer is still
  // checked against the output, so a length that lies either way (or a wrong CRC-32) is refused as on the streaming path.
  it('a small member whose trailer announces a wrong length, one byte more or less, is GZIP_CORRUPT', () => {
    const full = gzipSync(strToU8(report), { mtime: 0 });
    const view = new DataView(full.buffer, full.byteOffset, full.byteLength);
    for (const delta of [-1, 1, 1000]) {
      const lying = full.slice();
      new DataView(lying.buffer).setUint32(lying.length - 4, view.getUint32(full.length - 4, true) + delta, true);
      const r = decodeReportPayload(lying, caps);
      expect(r.ok ? 'ok' : r.code).toBe('GZIP_CORRUPT');
    }
  });

  it('a small member that announces 4 GiB is refused without allocating it', () => {
    const lying = gzipSync(strToU8(report), { mtime: 0 });
    new DataView(lying.buffer).setUint32(lying.length - 4, 0xffffffff, true);
    const r = decodeReportPayload(lying, caps);
    expect(r.ok ? 'ok' : r.code).toBe('GZIP_CORRUPT');
  });
});
