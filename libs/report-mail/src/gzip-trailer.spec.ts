import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
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
    expect(decodeReportPayload(gzipSync(strToU8(report), { mtime: 0 }), caps)).toEqual({ ok: true, container: 'gzip', jsons: [report] });
  });
});
