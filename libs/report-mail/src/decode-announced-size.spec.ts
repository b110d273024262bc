import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { withTexts } from './testing/decoded-texts.js';
import { decodeReportPayload } from './decode-payload.js';

const report = JSON.stringify({ 'organization-name': 'Announced Size', 'report-id': 'a1', policies: [] });

/** The gzip with its last four bytes (ISIZE) replaced. */
function withIsize(gz: Uint8Array, isize: number): Uint8Array {
  const out = Uint8Array.from(gz);
  new DataView(out.buffer).setUint32(out.length - 4, isize, true);
  return out;
}

describe('decodeReportPayload: the size a gzip trailer announces', () => {
  const gz = gzipSync(strToU8(report));
  const caps = { maxDecompressedBytes: 1000 };

  it('a trailer announcing more than the cap over output within it is GZIP_CORRUPT, as any wrong length', () => {
    expect(decodeReportPayload(withIsize(gz, 5000), caps)).toEqual({
      ok: false,
      code: 'GZIP_CORRUPT',
      reason: 'gzip data is truncated or corrupt: the length in its trailer does not match the data',
    });
    expect(decodeReportPayload(withIsize(gz, 5000), caps)).toEqual(decodeReportPayload(withIsize(gz, 999), caps));
  });

  it('a trailer announcing less than the output (the buffer is outgrown) still decodes in full when it is right', () => {
    const twoMembers = new Uint8Array([...gzipSync(strToU8(report.slice(0, 30))), ...gzipSync(strToU8(report.slice(30)))]);
    expect(withTexts(decodeReportPayload(twoMembers, caps))).toEqual({ ok: true, container: 'gzip', jsons: [report] });
  });

  it('output over the cap is DECOMPRESSED_TOO_LARGE whatever the trailer says', () => {
    const big = gzipSync(strToU8(JSON.stringify({ filler: 'x'.repeat(5000) })));
    expect(decodeReportPayload(big, caps)).toMatchObject({ ok: false, code: 'DECOMPRESSED_TOO_LARGE' });
    expect(decodeReportPayload(withIsize(big, 10), caps)).toMatchObject({ ok: false, code: 'DECOMPRESSED_TOO_LARGE' });
  });

  it('a small gzip of a huge output whose trailer understates it is still DECOMPRESSED_TOO_LARGE, under the default cap', () => {
    // ~40 KB of input, 40 MiB of zeros: small enough for the one-call inflate, whose output stops at the announced size.
    const zeros = gzipSync(new Uint8Array(40 * 1024 * 1024), { level: 9 });
    expect(zeros.length).toBeLessThan(64 * 1024);
    expect(decodeReportPayload(withIsize(zeros, 1024), { maxDecompressedBytes: 20 * 1024 * 1024 })).toEqual({
      ok: false,
      code: 'DECOMPRESSED_TOO_LARGE',
      reason: 'decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of 20971520 bytes',
    });
  });
});
