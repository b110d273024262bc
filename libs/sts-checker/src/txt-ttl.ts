// STS-FET-11: the TXT TTL, which node's resolveTxt does not expose. One plain UDP query to the first
// configured server; best effort: any problem (truncation, timeout, odd answer) gives null.
import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';

const TYPE_TXT = 16;
const TYPE_CNAME = 5;

/** `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353` → host and port. */
export function parseServer(server: string): { host: string; port: number } | null {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  if (bracketed) return { host: bracketed[1], port: Number(bracketed[2] ?? 53) };
  if (isIP(server) === 6) return { host: server, port: 53 };
  const [host, port] = server.split(':');
  return isIP(host) === 4 ? { host, port: Number(port ?? 53) } : null;
}

export function encodeQuery(id: number, name: string, type: number): Buffer {
  const labels = name.replace(/\.$/, '').split('.').map((l) => Buffer.from(l, 'ascii'));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD
  header.writeUInt16BE(1, 4);
  const qname = Buffer.concat([...labels.flatMap((l) => [Buffer.from([l.length]), l]), Buffer.from([0])]);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([header, qname, tail]);
}

function skipName(buf: Buffer, offset: number): number {
  let off = offset;
  for (;;) {
    if (off >= buf.length) throw new RangeError('name runs past the message');
    const len = buf[off];
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2;
    off += len + 1;
  }
}

/** Lowest TTL over the TXT records and the CNAME chain leading to them; null when there is no TXT answer. */
export function txtTtlFromResponse(buf: Buffer, id: number): number | null {
  if (buf.length < 12 || buf.readUInt16BE(0) !== id) return null;
  const flags = buf.readUInt16BE(2);
  const truncated = (flags & 0x0200) !== 0;
  if ((flags & 0x8000) === 0 || truncated || (flags & 0x000f) !== 0) return null;
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let off = 12;
  for (let i = 0; i < qd; i++) off = skipName(buf, off) + 4;
  let ttl: number | null = null;
  let sawTxt = false;
  for (let i = 0; i < an; i++) {
    off = skipName(buf, off);
    if (off + 10 > buf.length) return null;
    const type = buf.readUInt16BE(off);
    const recordTtl = buf.readUInt32BE(off + 4);
    const rdlen = buf.readUInt16BE(off + 8);
    off += 10 + rdlen;
    if (type === TYPE_TXT || type === TYPE_CNAME) ttl = ttl === null ? recordTtl : Math.min(ttl, recordTtl);
    if (type === TYPE_TXT) sawTxt = true;
  }
  return sawTxt ? ttl : null;
}

export function queryTxtTtl(name: string, server: string, timeoutMs: number): Promise<number | null> {
  const target = parseServer(server);
  if (target === null) return Promise.resolve(null);
  return new Promise((resolve) => {
    const id = randomInt(0, 0x10000);
    const socket = createSocket(isIP(target.host) === 6 ? 'udp6' : 'udp4');
    const done = (ttl: number | null): void => {
      clearTimeout(timer);
      socket.close();
      resolve(ttl);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('error', () => done(null));
    socket.on('message', (msg) => {
      try {
        done(txtTtlFromResponse(msg, id));
      } catch {
        done(null);
      }
    });
    socket.send(encodeQuery(id, name, TYPE_TXT), target.port, target.host);
  });
}
