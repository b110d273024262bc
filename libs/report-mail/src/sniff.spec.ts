import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sniffReportBytes } from './sniff.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('sniffReportBytes', () => {
  it('RPT-DLV-7: 1f 8b is gzip whatever follows', () => {
    expect(sniffReportBytes(gzipSync(bytes('{}')))).toBe('gzip');
    expect(sniffReportBytes(Uint8Array.of(0x1f, 0x8b))).toBe('gzip');
  });

  it('RPT-DEV-21: PK\\x03\\x04 is zip', () => {
    expect(sniffReportBytes(zipSync({ 'r.json': bytes('{}') }))).toBe('zip');
  });

  it('an archive with no entry (starts with the PK\\x05\\x06 end record) is zip, so it is reported as empty', () => {
    const empty = zipSync({});
    expect([...empty.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x05, 0x06]);
    expect(sniffReportBytes(empty)).toBe('zip');
  });

  it('RPT-DEV-21: JSON when the first non-whitespace byte is {', () => {
    expect(sniffReportBytes(bytes('{"report-id":"x"}'))).toBe('json');
    expect(sniffReportBytes(bytes(' \r\n\t{"a":1}'))).toBe('json');
  });

  it('a UTF-8 BOM before the JSON is allowed', () => {
    expect(sniffReportBytes(Uint8Array.of(0xef, 0xbb, 0xbf, 0x0a, 0x7b, 0x7d))).toBe('json');
  });

  it('anything else is unknown: arrays, HTML, text, empty input, a lone PK', () => {
    expect(sniffReportBytes(bytes('[{"a":1}]'))).toBe('unknown');
    expect(sniffReportBytes(bytes('<html>{}</html>'))).toBe('unknown');
    expect(sniffReportBytes(bytes('This is an aggregate TLS report'))).toBe('unknown');
    expect(sniffReportBytes(new Uint8Array(0))).toBe('unknown');
    expect(sniffReportBytes(bytes('   '))).toBe('unknown');
    expect(sniffReportBytes(bytes('PK'))).toBe('unknown');
    expect(sniffReportBytes(Uint8Array.of(0x1f))).toBe('unknown');
  });
});
