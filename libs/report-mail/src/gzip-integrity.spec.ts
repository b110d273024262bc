import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeReportPayload } from './decode-payload.js';

const report = JSON.stringify({
  'organization-name': 'Integrity Inc.',
  'report-id': 'crc-1',
  policies: [{ summary: { 'total-successful-session-count': 12, 'total-failure-session-count': 3 } }],
});

/** A stored (level 0) member, so one changed byte in the data is one changed character in the JSON. */
function storedMemberWithChangedDigit(): Uint8Array {
  const gz = gzipSync(strToU8(report), { level: 0, mtime: 0 });
  const at = Buffer.from(gz).indexOf('"total-failure-session-count":3') + '"total-failure-session-count":'.length;
  expect(gz[at]).toBe(0x33);
  const changed = gz.slice();
  changed[at] = 0x30; // 3 → 0: the length stays, only the CRC-32 in the trailer can tell
  return changed;
}

describe('gzip integrity: the CRC-32 in the trailer is checked (RFC 1952 §2.3.1)', () => {
  it('a member whose data changed in transit is GZIP_CORRUPT, never a report with 0 failures instead of 3', () => {
    expect(decodeReportPayload(storedMemberWithChangedDigit())).toEqual({
      ok: false,
      code: 'GZIP_CORRUPT',
      reason: 'gzip data is corrupt: the CRC-32 in its trailer does not match the data',
    });
  });

  it('an intact stored member and an intact compressed member both decode to the exact text', () => {
    expect(decodeReportPayload(gzipSync(strToU8(report), { level: 0, mtime: 0 }))).toEqual({ ok: true, container: 'gzip', jsons: [report] });
    expect(decodeReportPayload(gzipSync(strToU8(report), { level: 9, mtime: 0 }))).toEqual({ ok: true, container: 'gzip', jsons: [report] });
  });

  it('a member of several 4 KiB slices is checked across all of them', () => {
    const big = JSON.stringify({ 'report-id': 'crc-big', filler: 'abcdefghij'.repeat(5000) });
    const gz = gzipSync(strToU8(big), { level: 0, mtime: 0 });
    expect(decodeReportPayload(gz)).toEqual({ ok: true, container: 'gzip', jsons: [big] });
    const changed = gz.slice();
    changed[gz.length - 100] ^= 0x01;
    expect(decodeReportPayload(changed)).toMatchObject({ ok: false, code: 'GZIP_CORRUPT' });
  });
});
