/**
 * Collects inflated output. When the gzip trailer announces a size within the cap, output is copied as it arrives into
 * one buffer of that size, so a large report is held once as bytes rather than as chunks and then their concatenation.
 * (The buffer's pages are only touched as they are written: a trailer that lies costs no memory.) Output beyond the
 * announced size (several members, or a lying trailer) goes on as a list of chunks.
 */
export class InflateSink {
  private buffer: Uint8Array | null;
  private filled = 0;
  private chunks: Uint8Array[] = [];

  constructor(announcedSize: number) {
    this.buffer = announcedSize > 0 ? new Uint8Array(announcedSize) : null;
  }

  push(chunk: Uint8Array): void {
    if (this.buffer && this.filled + chunk.length <= this.buffer.length) {
      this.buffer.set(chunk, this.filled);
      this.filled += chunk.length;
      return;
    }
    if (this.buffer) {
      if (this.filled) this.chunks.push(this.buffer.subarray(0, this.filled));
      this.buffer = null;
    }
    this.chunks.push(chunk);
  }

  discard(): void {
    this.buffer = null;
    this.chunks = [];
  }

  /** Everything pushed, as one array; the sink is empty afterwards. */
  take(): Uint8Array {
    const buffer = this.buffer;
    const chunks = this.chunks;
    this.discard();
    if (buffer) return buffer.subarray(0, this.filled);
    return concatChunks(chunks, chunks.reduce((n, c) => n + c.length, 0));
  }
}

/** `chunks` (`total` bytes in all) as one array; a single chunk is returned as it is. */
export function concatChunks(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
