export type PayloadKind = 'gzip' | 'zip' | 'json' | 'unknown';

/**
 * Decide by the bytes, never by the declared type (RPT-DLV-7, RPT-DEV-21): `1f 8b` gzip, `PK 03 04` zip (or
 * `PK 05 06`, the end record that starts an archive with no entry, so it is reported as an empty zip rather than
 * unknown), JSON when the first non-whitespace byte after an optional UTF-8 BOM is `{`.
 */
export function sniffReportBytes(bytes: Uint8Array): PayloadKind {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06))) {
    return 'zip';
  }
  let i = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x7b ? 'json' : 'unknown';
}
