import { constants, deflateRawSync } from 'node:zlib';

/**
 * A gzip member that inflates to `mebibytes` MiB of zeros, built in a few milliseconds: one deflate block sequence
 * for 1 MiB of zeros (ended by a sync flush, so it is byte-aligned and self-contained) is repeated, then closed by an
 * empty final block. 1 GiB costs about 1 MiB. The trailer CRC is left at 0: a decoder under a cap never gets there.
 */
export function gzipBombOfZeros(mebibytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
  const finalEmptyBlock = Buffer.from([0x03, 0x00]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE((mebibytes * 1024 * 1024) % 2 ** 32, 4);
  return Buffer.concat([header, ...Array.from({ length: mebibytes }, () => block), finalEmptyBlock, trailer]);
}
