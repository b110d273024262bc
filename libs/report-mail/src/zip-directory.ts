import { strFromU8 } from 'fflate';

/**
 * Reads the CRC-32 of each file from a zip's central directory (APPNOTE 4.3.12/4.3.16). fflate's streaming Unzip
 * neither checks CRCs nor reads the directory, so without this a byte changed in transit would pass unnoticed.
 */
export type ZipDirectory = { ok: true; crcs: Map<string, number[]> } | { ok: false; reason: string };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;

export function readZipDirectory(b: Uint8Array): ZipDirectory {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  const u16 = (at: number) => view.getUint16(at, true);

  // The end record is 22 bytes plus a comment of up to 65535 bytes, so it is searched backwards.
  let eocd = -1;
  for (let at = b.length - 22; at >= Math.max(0, b.length - 22 - 0xffff); at--) {
    if (u32(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return { ok: false, reason: 'the zip archive has no end of central directory record (truncated?)' };

  let count = u16(eocd + 10);
  let offset = u32(eocd + 16);
  if ((offset === 0xffffffff || count === 0xffff) && eocd >= 20 && u32(eocd - 20) === ZIP64_LOCATOR) {
    const record = Number(view.getBigUint64(eocd - 20 + 8, true));
    if (record + 56 > b.length || u32(record) !== ZIP64_EOCD) return { ok: false, reason: 'the zip64 end record is out of place' };
    count = Number(view.getBigUint64(record + 32, true));
    offset = Number(view.getBigUint64(record + 48, true));
  }

  const crcs = new Map<string, number[]>();
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || u32(at) !== CENTRAL) return { ok: false, reason: `the zip central directory is damaged at entry ${i + 1}` };
    const flags = u16(at + 8);
    const nameLength = u16(at + 28);
    const next = at + 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (next > b.length) return { ok: false, reason: `the zip central directory is damaged at entry ${i + 1}` };
    // Decoded as fflate's Unzip names the entry: UTF-8 when general-purpose bit 11 is set, else one byte per character.
    const name = strFromU8(b.subarray(at + 46, at + 46 + nameLength), !(flags & 0x800));
    crcs.set(name, [...(crcs.get(name) ?? []), u32(at + 16)]);
    at = next;
  }
  return { ok: true, crcs };
}
