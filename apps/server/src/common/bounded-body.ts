import type { Readable } from 'node:stream';

export type Collected = { ok: true; raw: Buffer } | { ok: false; oversized: true; bytes: number };

/**
 * Buffers a DATA stream up to `maxBytes`. Past the cap it stops buffering but keeps draining the input, so the
 * dialogue ends cleanly and the sender gets the 552 reply instead of a dropped connection.
 */
export function collectMessage(stream: Readable & { sizeExceeded?: boolean }, maxBytes: number): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let oversized = false;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (oversized) return;
      if (bytes > maxBytes) {
        oversized = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => {
      if (oversized || stream.sizeExceeded) resolve({ ok: false, oversized: true, bytes });
      else resolve({ ok: true, raw: Buffer.concat(chunks, bytes) });
    });
  });
}
