import { Gunzip, Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { sniffReportBytes } from './sniff.js';

export type DecodeErrorCode = 'DECOMPRESSED_TOO_LARGE' | 'GZIP_CORRUPT' | 'ZIP_CORRUPT' | 'ZIP_EMPTY' | 'INVALID_UTF8' | 'NOT_A_REPORT';

export type DecodeResult =
  | { ok: true; container: 'gzip' | 'zip' | 'json'; jsons: string[] }
  | { ok: false; code: DecodeErrorCode; reason: string };

/**
 * Input is fed to fflate in small slices so that one step can never inflate more than a few MiB: a gzip bomb is
 * stopped as soon as the running total passes the cap (deflate expands at most ~1032:1).
 */
const SLICE = 4 * 1024;

/** Turns a report payload (gzip, zip or plain JSON bytes) into JSON text, under a decompressed-size cap. */
export function decodeReportPayload(bytes: Uint8Array, caps: { maxDecompressedBytes: number }): DecodeResult {
  const kind = sniffReportBytes(bytes);
  if (kind === 'gzip') return gunzip(bytes, caps.maxDecompressedBytes);
  if (kind === 'zip') return unzip(bytes, caps.maxDecompressedBytes);
  if (kind === 'json') {
    if (bytes.length > caps.maxDecompressedBytes) return tooLarge(caps.maxDecompressedBytes);
    return utf8(bytes, 'json');
  }
  return { ok: false, code: 'NOT_A_REPORT', reason: 'the bytes are neither gzip, zip nor JSON' };
}

function tooLarge(cap: number): DecodeResult {
  return { ok: false, code: 'DECOMPRESSED_TOO_LARGE', reason: `decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of ${cap} bytes` };
}

function gunzip(bytes: Uint8Array, cap: number): DecodeResult {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const stream = new Gunzip((chunk) => {
    if (over) return;
    total += chunk.length;
    if (total > cap) {
      over = true;
      chunks.length = 0;
      return;
    }
    chunks.push(chunk);
  });
  try {
    for (let i = 0; i < bytes.length && !over; i += SLICE) {
      stream.push(bytes.subarray(i, i + SLICE), i + SLICE >= bytes.length);
    }
  } catch (err) {
    return { ok: false, code: 'GZIP_CORRUPT', reason: `gzip data is corrupt: ${messageOf(err)}` };
  }
  if (over) return tooLarge(cap);
  if (total === 0) return { ok: false, code: 'GZIP_CORRUPT', reason: 'gzip data is truncated or empty' };
  const decoded = utf8(concat(chunks, total), 'gzip');
  if (!decoded.ok) return decoded;
  if (sniffReportBytes(new TextEncoder().encode(decoded.jsons[0].slice(0, 64))) !== 'json') {
    return { ok: false, code: 'NOT_A_REPORT', reason: 'the gzip content is not JSON' };
  }
  return decoded;
}

function unzip(bytes: Uint8Array, cap: number): DecodeResult {
  const files: Array<{ name: string; chunks: Uint8Array[]; size: number; done: boolean }> = [];
  let total = 0;
  let over = false;
  let error: string | null = null;
  const uz = new Unzip((file) => {
    if (file.name.endsWith('/')) return;
    const entry = { name: file.name, chunks: [] as Uint8Array[], size: 0, done: false };
    files.push(entry);
    file.ondata = (err, chunk, final) => {
      if (err) {
        error = messageOf(err);
        return;
      }
      if (over) return;
      total += chunk.length;
      if (total > cap) {
        over = true;
        file.terminate();
        return;
      }
      entry.chunks.push(chunk);
      entry.size += chunk.length;
      if (final) entry.done = true;
    };
    file.start();
  });
  uz.register(UnzipInflate);
  uz.register(UnzipPassThrough);
  try {
    for (let i = 0; i < bytes.length && !over && !error; i += SLICE) {
      uz.push(bytes.subarray(i, i + SLICE), i + SLICE >= bytes.length);
    }
  } catch (err) {
    return { ok: false, code: 'ZIP_CORRUPT', reason: `zip archive is corrupt: ${messageOf(err)}` };
  }
  if (over) return tooLarge(cap);
  if (error) return { ok: false, code: 'ZIP_CORRUPT', reason: `zip archive is corrupt: ${error}` };
  if (files.length === 0) return { ok: false, code: 'ZIP_EMPTY', reason: 'the zip archive holds no file' };
  const jsons: string[] = [];
  for (const f of files) {
    if (!f.done && f.size === 0) return { ok: false, code: 'ZIP_CORRUPT', reason: `zip entry ${f.name} is truncated` };
    const decoded = utf8(concat(f.chunks, f.size), 'zip');
    if (!decoded.ok) return { ok: false, code: decoded.code, reason: `zip entry ${f.name}: ${decoded.reason}` };
    if (sniffReportBytes(new TextEncoder().encode(decoded.jsons[0].slice(0, 64))) !== 'json') continue;
    jsons.push(decoded.jsons[0]);
  }
  if (jsons.length === 0) return { ok: false, code: 'ZIP_EMPTY', reason: `the zip archive holds no JSON file (${files.map((f) => f.name).join(', ')})` };
  return { ok: true, container: 'zip', jsons };
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function utf8(bytes: Uint8Array, container: 'gzip' | 'zip' | 'json'): DecodeResult {
  try {
    return { ok: true, container, jsons: [fatalUtf8.decode(bytes)] };
  } catch {
    return { ok: false, code: 'INVALID_UTF8', reason: 'the report is not valid UTF-8 (RPT-JSON-1 requires I-JSON)' };
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
