import { isUtf8 } from 'node:buffer';
import { crc32, gunzipSync } from 'node:zlib';
import { Gunzip, Unzip, UnzipInflate, UnzipPassThrough, type UnzipFile } from 'fflate';
import { DEFAULT_MAIL_CAPS, requirePositiveCap, type MailCaps } from './mail-caps.js';
import { concatChunks, InflateSink } from './inflate-sink.js';
import { sniffReportBytes } from './sniff.js';
import { readZipDirectory } from './zip-directory.js';
import { ReportJson } from './report-json.js';

export type DecodeErrorCode = 'DECOMPRESSED_TOO_LARGE' | 'GZIP_CORRUPT' | 'ZIP_CORRUPT' | 'ZIP_EMPTY' | 'INVALID_UTF8' | 'NOT_A_REPORT';

export type DecodeResult =
  | { ok: true; container: 'gzip' | 'zip' | 'json'; jsons: ReportJson[] }
  | { ok: false; code: DecodeErrorCode; reason: string };

/**
 * Input is fed to fflate in small slices so that one step can never inflate more than a few MiB: a gzip bomb is
 * stopped as soon as the running total passes the cap (deflate expands at most ~1032:1).
 */
const SLICE = 4 * 1024;

/** The most deflate can expand (258 bytes from a 2-bit code): input this many times smaller than the cap cannot pass it. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Turns a report payload (gzip, zip or plain JSON bytes, decided by sniffing: RPT-DLV-7) into JSON text, under a
 * decompressed-size cap. Text must be valid UTF-8 (RPT-JSON-1, I-JSON): a bad byte gives `INVALID_UTF8` rather than a
 * silently altered report. A zip yields one JSON text per JSON entry; its other entries are ignored.
 */
export function decodeReportPayload(bytes: Uint8Array, caps: Partial<Pick<MailCaps, 'maxDecompressedBytes'>> = {}): DecodeResult {
  const cap = requirePositiveCap('maxDecompressedBytes', caps.maxDecompressedBytes ?? DEFAULT_MAIL_CAPS.maxDecompressedBytes);
  const kind = sniffReportBytes(bytes);
  if (kind === 'gzip') return gunzip(bytes, cap);
  if (kind === 'zip') return unzip(bytes, cap);
  if (kind === 'json') return bytes.length > cap ? tooLarge(cap) : jsonText(bytes, 'json');
  return { ok: false, code: 'NOT_A_REPORT', reason: 'the bytes are neither gzip, zip nor JSON' };
}

function tooLarge(cap: number): DecodeResult {
  return { ok: false, code: 'DECOMPRESSED_TOO_LARGE', reason: `decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of ${cap} bytes` };
}

function gunzip(bytes: Uint8Array, cap: number): DecodeResult {
  const whole = gunzipWhole(bytes, cap);
  if (whole) return sniffReportBytes(whole) === 'json' ? jsonText(whole, 'gzip') : { ok: false, code: 'NOT_A_REPORT', reason: 'the gzip content is not JSON' };
  // ISIZE, the last member's length mod 2^32: the real output is counted below. Over the cap it can only end as
  // DECOMPRESSED_TOO_LARGE or GZIP_CORRUPT (the last trailer cannot match an output within the cap), so the output is
  // then only counted and checked, never kept: a gzip bomb holds no inflated bytes.
  const announced = bytes.length >= 18 ? readUint32LE(bytes, bytes.length - 4) : 0;
  const keep = announced <= cap;
  const sink = new InflateSink(keep ? announced : 0);
  let total = 0;
  let over = false;
  // RFC 1952 §2.2: a gzip file is a series of members, each with its own CRC-32 and length trailer.
  let member = { crc: 0, size: 0 };
  let memberFailure: DecodeResult | null = null;
  const stream = new Gunzip((chunk) => {
    if (over) return;
    total += chunk.length;
    if (total > cap) {
      over = true;
      sink.discard();
      return;
    }
    member = { crc: crc32(chunk, member.crc), size: member.size + chunk.length };
    if (keep) sink.push(chunk);
  });
  stream.onmember = (nextMemberAt) => {
    memberFailure ??= memberTrailerFailure(bytes, nextMemberAt, member);
    member = { crc: 0, size: 0 };
  };
  try {
    for (let i = 0; i < bytes.length && !over; i += SLICE) {
      stream.push(bytes.subarray(i, i + SLICE), i + SLICE >= bytes.length);
    }
  } catch (err) {
    return { ok: false, code: 'GZIP_CORRUPT', reason: `gzip data is corrupt: ${messageOf(err)}` };
  }
  if (over) return tooLarge(cap);
  if (total === 0) return { ok: false, code: 'GZIP_CORRUPT', reason: 'gzip data is truncated or empty' };
  const failure = memberFailure ?? memberTrailerFailure(bytes, bytes.length, member);
  if (failure) return failure;
  if (!keep) return { ok: false, code: 'GZIP_CORRUPT', reason: 'gzip data is truncated or corrupt: the length in its trailer does not match the data' };
  const text = sink.take();
  if (sniffReportBytes(text) !== 'json') return { ok: false, code: 'NOT_A_REPORT', reason: 'the gzip content is not JSON' };
  return jsonText(text, 'gzip');
}

/**
 * The most output a one-call inflate (`gunzipWhole`) may be asked for: its input must be small enough that even
 * deflate's largest expansion stays under this (or under the cap, if larger). A 1 MB report of 5,000 failure rows
 * gzips to ~45 KB, inside this bound and not inside a 20 MiB cap's.
 */
const WHOLE_INFLATE_MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * A gzip too small to inflate past `WHOLE_INFLATE_MAX_OUTPUT`, inflated in one call into a buffer of the size its
 * trailer announces (within the cap). The platform's zlib does this one call: it inflates a 1 MB report in ~0.35 ms
 * where fflate takes ~1.7 ms (a 1.5 KB one in ~12 against ~27 µs), and it stops one byte past the announced size
 * (`maxOutputLength`), so a trailer that lies costs no more than the truth would. The output is kept only when its
 * length and CRC-32 match the trailer; anything else (several members, a trailer that lies, corrupt or truncated
 * data) gives null, and the streaming fflate path below, which counts every byte against the cap, decides and words
 * the error.
 */
function gunzipWhole(bytes: Uint8Array, cap: number): Uint8Array | null {
  if (bytes.length < 18 || bytes.length * MAX_DEFLATE_RATIO > Math.max(cap, WHOLE_INFLATE_MAX_OUTPUT)) return null;
  const announced = readUint32LE(bytes, bytes.length - 4);
  if (announced === 0 || announced > cap || announced > bytes.length * MAX_DEFLATE_RATIO) return null;
  let out: Uint8Array;
  try {
    // One chunk one byte larger than announced: more output than announced fills it and throws at once.
    out = gunzipSync(bytes, { maxOutputLength: announced, chunkSize: Math.max(64, announced + 1) });
  } catch {
    return null;
  }
  return out.length === announced && crc32(out) === readUint32LE(bytes, bytes.length - 8) ? out : null;
}

/**
 * Checks the 8-byte trailer that ends at `trailerEnd`. fflate can end a stream cut inside the deflate data without an
 * error, and it checks no CRC-32: the length (ISIZE, mod 2^32) tells a complete member from a truncated one, and the
 * CRC-32 catches a changed byte (a count 3 read as 0) that would otherwise pass as a valid report.
 */
function memberTrailerFailure(bytes: Uint8Array, trailerEnd: number, member: { crc: number; size: number }): DecodeResult | null {
  if (trailerEnd < 18 || readUint32LE(bytes, trailerEnd - 4) !== member.size >>> 0) {
    return { ok: false, code: 'GZIP_CORRUPT', reason: 'gzip data is truncated or corrupt: the length in its trailer does not match the data' };
  }
  if (readUint32LE(bytes, trailerEnd - 8) !== member.crc >>> 0) {
    return { ok: false, code: 'GZIP_CORRUPT', reason: 'gzip data is corrupt: the CRC-32 in its trailer does not match the data' };
  }
  return null;
}

interface ZipEntry {
  name: string;
  chunks: Uint8Array[];
  size: number;
  done: boolean;
  crc: number;
}

function unzip(bytes: Uint8Array, cap: number): DecodeResult {
  const entries: ZipEntry[] = [];
  let total = 0;
  let failure = null as DecodeResult | null;
  const fail = (result: DecodeResult, file?: UnzipFile) => {
    failure ??= result;
    file?.terminate();
  };
  const uz = new Unzip((file) => {
    if (failure || file.name.endsWith('/')) return;
    // The declared size is only a hint (it can lie or be absent in streamed archives): real output is counted below.
    if (file.originalSize !== undefined && total + file.originalSize > cap) return fail(tooLarge(cap), file);
    const entry: ZipEntry = { name: file.name, chunks: [], size: 0, done: false, crc: 0 };
    entries.push(entry);
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) return fail({ ok: false, code: 'ZIP_CORRUPT', reason: `zip entry ${file.name} is corrupt: ${messageOf(err)}` }, file);
      total += chunk.length;
      if (total > cap) return fail(tooLarge(cap), file);
      entry.crc = crc32(chunk, entry.crc);
      entry.chunks.push(chunk);
      entry.size += chunk.length;
      if (final) entry.done = true;
    };
    try {
      file.start();
    } catch (err) {
      fail({ ok: false, code: 'ZIP_CORRUPT', reason: `zip entry ${file.name} cannot be read: ${messageOf(err)}` });
    }
  });
  uz.register(UnzipInflate);
  uz.register(UnzipPassThrough);
  try {
    for (let i = 0; i < bytes.length && !failure; i += SLICE) {
      uz.push(bytes.subarray(i, i + SLICE), i + SLICE >= bytes.length);
    }
  } catch (err) {
    fail({ ok: false, code: 'ZIP_CORRUPT', reason: `zip archive is corrupt: ${messageOf(err)}` });
  }
  if (failure) return failure;
  if (entries.length === 0) return { ok: false, code: 'ZIP_EMPTY', reason: 'the zip archive holds no file' };
  const directory = readZipDirectory(bytes);
  if (!directory.ok) return { ok: false, code: 'ZIP_CORRUPT', reason: directory.reason };

  const jsons: ReportJson[] = [];
  for (const entry of entries) {
    if (!entry.done) return { ok: false, code: 'ZIP_CORRUPT', reason: `zip entry ${entry.name} is truncated` };
    // fflate does not check CRCs: a byte changed in transit would otherwise pass as a valid report.
    const expected = directory.crcs.get(entry.name)?.shift();
    if (expected === undefined) return { ok: false, code: 'ZIP_CORRUPT', reason: `zip entry ${entry.name} is missing from the central directory` };
    if (expected !== entry.crc >>> 0) {
      return { ok: false, code: 'ZIP_CORRUPT', reason: `zip entry ${entry.name} is corrupt: its CRC-32 does not match the data` };
    }
    const content = concatChunks(entry.chunks, entry.size);
    entry.chunks = [];
    if (sniffReportBytes(content) !== 'json') continue;
    const decoded = jsonText(content, 'zip');
    if (!decoded.ok) return { ok: false, code: decoded.code, reason: `zip entry ${entry.name}: ${decoded.reason}` };
    jsons.push(...decoded.jsons);
  }
  if (jsons.length === 0) {
    return { ok: false, code: 'ZIP_EMPTY', reason: `the zip archive holds no JSON file (${entries.map((e) => e.name).join(', ')})` };
  }
  return { ok: true, container: 'zip', jsons };
}

/** The report JSON of decoded bytes: valid UTF-8 or INVALID_UTF8, a leading byte order mark dropped. */
function jsonText(bytes: Uint8Array, container: 'gzip' | 'zip' | 'json'): DecodeResult {
  if (!isUtf8(bytes)) return { ok: false, code: 'INVALID_UTF8', reason: 'the report is not valid UTF-8 (RPT-JSON-1 requires I-JSON)' };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { ok: true, container, jsons: [new ReportJson(bom ? bytes.subarray(3) : bytes)] };
}

function readUint32LE(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
