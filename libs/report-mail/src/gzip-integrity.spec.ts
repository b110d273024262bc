import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { withTexts } from './testing/decoded-texts.js';
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
    expect(withTexts(decodeReportPayload(gzipSync(strToU8(report), { level: 0, mtime: 0 })))).toEqual({ ok: true, container: 'gzip', jsons: [report] });
    expect(withTexts(decodeReportPayload(gzipSync(strToU8(report), { level: 9, mtime: 0 })))).toEqual({ ok: true, container: 'gzip', jsons: [report] });
  });

  it('a member of several 4 KiB slices is checked across all of them', () => {
    const big = JSON.stringify({ 'report-id': 'crc-big', filler: 'abcdefghij'.repeat(5000) });
    const gz = gzipSync(strToU8(big), { level: 0, mtime: 0 });
    expect(withTexts(decodeReportPayload(gz))).toEqual({ ok: true, container: 'gzip', jsons: [big] });
    const changed = gz.slice();
    changed[gz.length - 100] ^= 0x01;
    expect(decodeReportPayload(changed)).toMatchObject({ ok: false, code: 'GZIP_CORRUPT' });
  });
});

describe('gzip integrity: several members (RFC 1952 §2.2)', () => {
  const first = `{"organization-name":"Members Inc.","report-id":"multi-member","filler":"${'0123456789'.repeat(700)}",`;
  const second = `"policies":[{"summary":{"total-successful-session-count":12,"total-failure-session-count":3}}]}`;
  const joined = (...members: Uint8Array[]) => Buffer.concat(members);

  it('a file of concatenated members (as `cat a.gz b.gz` gives) decodes to the joined text', () => {
    for (const level of [0, 9] as const) {
      const multi = joined(gzipSync(strToU8(first), { level, mtime: 0 }), gzipSync(strToU8(second), { level, mtime: 0 }));
      expect(withTexts(decodeReportPayload(multi))).toEqual({ ok: true, container: 'gzip', jsons: [first + second] });
    }
  });

  it('three small members in one 4 KiB slice decode too', () => {
    const parts = ['{"report-id":', '"three",', '"policies":[]}'];
    expect(withTexts(decodeReportPayload(joined(...parts.map((p) => gzipSync(strToU8(p), { mtime: 0 })))))).toEqual({
      ok: true,
      container: 'gzip',
      jsons: [parts.join('')],
    });
  });

  it('members whose headers carry the original file name (FNAME, as `gzip r.json` writes) decode', () => {
    const a = gzipSync(strToU8(first), { mtime: 0, filename: 'google.com!example.net!1793491200!1793577599!001.json' });
    const b = gzipSync(strToU8(second), { mtime: 0, filename: 'part-2.json' });
    expect(a[3] & 0x08).toBe(0x08);
    expect(withTexts(decodeReportPayload(joined(a, b)))).toEqual({ ok: true, container: 'gzip', jsons: [first + second] });
  });

  it('a changed byte in the first member is caught by that member\'s own CRC-32', () => {
    const a = gzipSync(strToU8(first), { level: 0, mtime: 0 });
    a[a.length - 30] ^= 0x01;
    expect(decodeReportPayload(joined(a, gzipSync(strToU8(second), { mtime: 0 })))).toEqual({
      ok: false,
      code: 'GZIP_CORRUPT',
      reason: 'gzip data is corrupt: the CRC-32 in its trailer does not match the data',
    });
  });

  it('a second member cut short is GZIP_CORRUPT', () => {
    const b = gzipSync(strToU8(second), { mtime: 0 });
    const multi = joined(gzipSync(strToU8(first), { mtime: 0 }), b.subarray(0, b.length - 5));
    expect(decodeReportPayload(multi)).toMatchObject({ ok: false, code: 'GZIP_CORRUPT' });
  });
});
