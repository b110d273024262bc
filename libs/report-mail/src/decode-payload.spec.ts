import { gzipSync, strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { withTexts } from './testing/decoded-texts.js';
import { decodeReportPayload } from './decode-payload.js';
import { DEFAULT_MAIL_CAPS } from './mail-caps.js';
import { gzipBombOfZeros } from './testing/gzip-bomb.js';

const report = (id: string) => JSON.stringify({ 'organization-name': 'Decode Test', 'report-id': id, policies: [] });
/** A JSON text of exactly `length` bytes. */
const jsonOfLength = (length: number) => `{"a":"${'x'.repeat(length - 8)}"}`;

function streamedZip(files: Record<string, string>): Uint8Array {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    out.push(chunk);
  });
  for (const [name, text] of Object.entries(files)) {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(strToU8(text), true);
  }
  zip.end();
  return Buffer.concat(out);
}

describe('decodeReportPayload: gzip', () => {
  it('RPT-DLV-7: gunzips a gzip report to its JSON text', () => {
    expect(withTexts(decodeReportPayload(gzipSync(strToU8(report('g1'))), { maxDecompressedBytes: 1000 }))).toEqual({
      ok: true,
      container: 'gzip',
      jsons: [report('g1')],
    });
  });

  it('RPT-DEV-21: plain JSON bytes are returned as they are (a "+gzip" part that was never compressed)', () => {
    expect(withTexts(decodeReportPayload(strToU8(report('plain'))))).toEqual({ ok: true, container: 'json', jsons: [report('plain')] });
  });

  it('drops a leading UTF-8 BOM from the JSON text', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(report('bom'))]);
    expect(withTexts(decodeReportPayload(withBom))).toEqual({ ok: true, container: 'json', jsons: [report('bom')] });
    expect(withTexts(decodeReportPayload(gzipSync(withBom)))).toEqual({ ok: true, container: 'gzip', jsons: [report('bom')] });
  });

  it('RPT-DLV-7: a 1 GiB gzip bomb stops at the 20 MiB default cap without inflating it in memory', () => {
    const bomb = gzipBombOfZeros(1024);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const result = decodeReportPayload(bomb, DEFAULT_MAIL_CAPS);
    const grown = process.memoryUsage().rss - before;
    expect(result).toEqual({
      ok: false,
      code: 'DECOMPRESSED_TOO_LARGE',
      reason: 'decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of 20971520 bytes',
    });
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });

  it('the cap defaults to 20 MiB when the caller gives none', () => {
    const result = decodeReportPayload(gzipBombOfZeros(21));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of 20971520 bytes');
  });

  it('a report exactly at the cap passes, one byte more is refused (gzip and plain JSON alike)', () => {
    const caps = { maxDecompressedBytes: 1000 };
    expect(withTexts(decodeReportPayload(gzipSync(strToU8(jsonOfLength(1000))), caps))).toMatchObject({ ok: true, jsons: [jsonOfLength(1000)] });
    expect(decodeReportPayload(gzipSync(strToU8(jsonOfLength(1001))), caps)).toMatchObject({ ok: false, code: 'DECOMPRESSED_TOO_LARGE' });
    expect(withTexts(decodeReportPayload(strToU8(jsonOfLength(1000)), caps))).toMatchObject({ ok: true, container: 'json' });
    expect(decodeReportPayload(strToU8(jsonOfLength(1001)), caps)).toEqual({
      ok: false,
      code: 'DECOMPRESSED_TOO_LARGE',
      reason: 'decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of 1000 bytes',
    });
  });

  it('a gzip cut in the middle of its deflate stream is GZIP_CORRUPT', () => {
    const gz = gzipSync(strToU8(report('cut').repeat(20)));
    expect(decodeReportPayload(gz.subarray(0, gz.length / 2))).toMatchObject({ ok: false, code: 'GZIP_CORRUPT' });
  });

  it('a bare gzip header with no data is GZIP_CORRUPT', () => {
    expect(decodeReportPayload(gzipSync(strToU8('x')).subarray(0, 10))).toMatchObject({ ok: false, code: 'GZIP_CORRUPT' });
  });

  it('a gzip that holds something other than JSON is NOT_A_REPORT', () => {
    expect(decodeReportPayload(gzipSync(strToU8('<html>502 Bad Gateway</html>')))).toEqual({
      ok: false,
      code: 'NOT_A_REPORT',
      reason: 'the gzip content is not JSON',
    });
    expect(decodeReportPayload(gzipSync(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0xff)))).toMatchObject({ ok: false, code: 'NOT_A_REPORT' });
  });

  it('RPT-JSON-1: JSON that is not valid UTF-8 is INVALID_UTF8, not silently repaired', () => {
    const latin1 = Buffer.from('{"organization-name":"M\xfcller"}', 'latin1');
    expect(decodeReportPayload(latin1)).toEqual({ ok: false, code: 'INVALID_UTF8', reason: 'the report is not valid UTF-8 (RPT-JSON-1 requires I-JSON)' });
    expect(decodeReportPayload(gzipSync(latin1))).toMatchObject({ ok: false, code: 'INVALID_UTF8' });
  });

  it('bytes that are neither gzip, zip nor JSON are NOT_A_REPORT', () => {
    expect(decodeReportPayload(strToU8('Hello'))).toEqual({ ok: false, code: 'NOT_A_REPORT', reason: 'the bytes are neither gzip, zip nor JSON' });
  });
});

describe('decodeReportPayload: zip', () => {
  it('RPT-DEV-21: a zip holding one .json report', () => {
    expect(withTexts(decodeReportPayload(zipSync({ 'google.com!example.net!1!2.json': strToU8(report('z1')) })))).toEqual({
      ok: true,
      container: 'zip',
      jsons: [report('z1')],
    });
  });

  it('a zip with two JSON entries yields both, in archive order', () => {
    const zip = zipSync({ 'a.json': strToU8(report('first')), 'b.json': strToU8(report('second')) });
    expect(withTexts(decodeReportPayload(zip))).toEqual({ ok: true, container: 'zip', jsons: [report('first'), report('second')] });
  });

  it('stored (uncompressed) entries and archives streamed with data descriptors both decode', () => {
    expect(withTexts(decodeReportPayload(zipSync({ 'r.json': strToU8(report('stored')) }, { level: 0 })))).toMatchObject({ ok: true, jsons: [report('stored')] });
    const streamed = streamedZip({ 'r.json': report('streamed') });
    expect(withTexts(decodeReportPayload(streamed))).toMatchObject({ ok: true, container: 'zip', jsons: [report('streamed')] });
  });

  it('entries that are not JSON (a readme, a binary file) are skipped', () => {
    const zip = zipSync({
      'README.txt': strToU8('Daily TLS report'),
      'logo.png': Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe),
      'report.json': strToU8(report('among-others')),
    });
    expect(withTexts(decodeReportPayload(zip))).toEqual({ ok: true, container: 'zip', jsons: [report('among-others')] });
  });

  it('an archive with no entry is ZIP_EMPTY', () => {
    expect(decodeReportPayload(zipSync({}))).toEqual({ ok: false, code: 'ZIP_EMPTY', reason: 'the zip archive holds no file' });
  });

  it('an archive holding only a folder is ZIP_EMPTY', () => {
    expect(decodeReportPayload(zipSync({ 'reports/': {} }))).toMatchObject({ ok: false, code: 'ZIP_EMPTY' });
  });

  it('an archive with files but no JSON is ZIP_EMPTY and names the files', () => {
    expect(decodeReportPayload(zipSync({ 'notes.txt': strToU8('hello'), 'data.csv': strToU8('a,b') }))).toEqual({
      ok: false,
      code: 'ZIP_EMPTY',
      reason: 'the zip archive holds no JSON file (notes.txt, data.csv)',
    });
  });

  it('a truncated archive is ZIP_CORRUPT', () => {
    const zip = zipSync({ 'r.json': strToU8(report('truncated').repeat(50)) });
    expect(decodeReportPayload(zip.subarray(0, 80))).toMatchObject({ ok: false, code: 'ZIP_CORRUPT' });
  });

  it('an entry whose declared size passes the cap is refused before it is inflated', () => {
    const zip = zipSync({ 'r.json': strToU8(jsonOfLength(2000)) });
    expect(decodeReportPayload(zip, { maxDecompressedBytes: 1000 })).toMatchObject({ ok: false, code: 'DECOMPRESSED_TOO_LARGE' });
  });

  it('an entry that lies about its size is still stopped by counting the real output', () => {
    const zip = zipSync({ 'r.json': new Uint8Array(30 * 1024 * 1024).fill(0x20) });
    // Local file header: the uncompressed size sits at byte 22. Claim 10 bytes.
    new DataView(zip.buffer, zip.byteOffset).setUint32(22, 10, true);
    expect(decodeReportPayload(zip, DEFAULT_MAIL_CAPS)).toEqual({
      ok: false,
      code: 'DECOMPRESSED_TOO_LARGE',
      reason: 'decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of 20971520 bytes',
    });
  });

  it('the cap applies to the sum of all entries', () => {
    const zip = zipSync({ 'a.json': strToU8(jsonOfLength(600)), 'b.json': strToU8(jsonOfLength(600)) });
    expect(decodeReportPayload(zip, { maxDecompressedBytes: 1000 })).toMatchObject({ ok: false, code: 'DECOMPRESSED_TOO_LARGE' });
    expect(withTexts(decodeReportPayload(zip, { maxDecompressedBytes: 1200 }))).toMatchObject({ ok: true, jsons: [jsonOfLength(600), jsonOfLength(600)] });
  });

  it('a byte changed in a stored entry (failure count 3 read as 0) is caught by the CRC-32: ZIP_CORRUPT', () => {
    const text = '{"report-id":"zip-crc","total-failure-session-count":3}';
    const zip = zipSync({ 'r.json': strToU8(text) }, { level: 0 });
    const at = Buffer.from(zip).indexOf('count":3') + 'count":'.length;
    zip[at] = 0x30;
    expect(decodeReportPayload(zip)).toEqual({ ok: false, code: 'ZIP_CORRUPT', reason: 'zip entry r.json is corrupt: its CRC-32 does not match the data' });
  });

  it('an archive cut after its entries but before the central directory is ZIP_CORRUPT', () => {
    const zip = zipSync({ 'r.json': strToU8(report('no-directory')) });
    const directoryAt = Buffer.from(zip).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(decodeReportPayload(zip.subarray(0, directoryAt))).toEqual({
      ok: false,
      code: 'ZIP_CORRUPT',
      reason: 'the zip archive has no end of central directory record (truncated?)',
    });
  });

  it('a non-ASCII entry name (UTF-8 flag) is matched against the central directory', () => {
    expect(withTexts(decodeReportPayload(zipSync({ 'rapport-été.json': strToU8(report('utf8-name')) })))).toMatchObject({ ok: true, jsons: [report('utf8-name')] });
  });

  it('a JSON entry that is not valid UTF-8 is INVALID_UTF8 and names the entry', () => {
    const zip = zipSync({ 'r.json': Buffer.from('{"a":"\xe9"}', 'latin1') });
    expect(decodeReportPayload(zip)).toEqual({
      ok: false,
      code: 'INVALID_UTF8',
      reason: 'zip entry r.json: the report is not valid UTF-8 (RPT-JSON-1 requires I-JSON)',
    });
  });
});

describe('decodeReportPayload: caps', () => {
  it('a cap of 0, NaN, a negative number or a string is a bug and throws instead of turning the limit off', () => {
    const bytes = strToU8(report('caps'));
    for (const bad of [0, Number.NaN, -1, Number.POSITIVE_INFINITY, '20' as unknown as number]) {
      expect(() => decodeReportPayload(bytes, { maxDecompressedBytes: bad })).toThrow(RangeError);
    }
  });
});
