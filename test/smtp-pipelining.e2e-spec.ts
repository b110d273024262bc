import { connect, Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

/** Collects what the server sends, chunk by chunk as the socket delivers it. */
function chunksOf(socket: Socket) {
  const chunks: string[] = [];
  let waiting: (() => void) | null = null;
  socket.on('data', (c: Buffer) => {
    chunks.push(c.toString('latin1'));
    waiting?.();
  });
  return {
    /** The next chunk holding at least `lines` complete reply lines (it may take several chunks). */
    async next(lines = 1): Promise<string[]> {
      const taken: string[] = [];
      while ((taken.join('').match(/\r\n/g)?.length ?? 0) < lines) {
        if (!chunks.length) await new Promise<void>((r) => (waiting = r));
        waiting = null;
        taken.push(...chunks.splice(0));
      }
      return taken;
    },
  };
}

/**
 * Counts the writes the server hands to the kernel on its end of `client`'s connection: `Socket#_writeGeneric` runs
 * once per write or writev. (Counting this process's write syscalls in /proc also counted vitest's own messages to
 * its main process, which made the test fail now and then.)
 */
function serverWritesTo(client: Socket) {
  const proto = Socket.prototype as unknown as { _writeGeneric: (...args: unknown[]) => unknown };
  const original = proto._writeGeneric;
  let writes = 0;
  proto._writeGeneric = function (this: Socket, ...args: unknown[]) {
    if (this !== client && this.remotePort === client.localPort) writes++;
    return original.apply(this, args);
  };
  return { count: () => writes, restore: () => void (proto._writeGeneric = original) };
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

describe('SMTP PIPELINING (RFC 2920)', () => {
  let app: TestApp;
  let db: pg.Client;

  beforeAll(async () => {
    app = await bootTestApp();
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('the replies to a pipelined MAIL, RCPT and DATA leave as one unit, and two deliveries on one connection are stored', async () => {
    const socket = await open(app.smtpPort);
    const server = chunksOf(socket);
    expect((await server.next()).join('')).toMatch(/^220 /);
    socket.write('EHLO pipelining.test\r\n');
    expect((await server.next()).join('')).toContain('250-PIPELINING');
    for (const reportId of ['pipelined-1', 'pipelined-2']) {
      const writes = serverWritesTo(socket);
      let group: string;
      try {
        socket.write(`MAIL FROM:<reporter@reporter.test>\r\nRCPT TO:<${RUA}>\r\nDATA\r\n`);
        group = (await server.next(3)).join('');
      } finally {
        writes.restore();
      }
      expect(group.split('\r\n').map((l) => l.slice(0, 3))).toEqual(['250', '250', '354', '']);
      // The three replies in one write; written apart they would take two or three.
      expect(writes.count()).toBe(1);
      socket.write(`${buildReportMail({ payload: makeReport({ reportId }), gzip: true }).replace(/\r?\n/g, '\r\n')}\r\n.\r\n`);
      expect((await server.next()).join('')).toMatch(/^250 2\.0\.0 1 report\(s\) stored/);
    }
    socket.end('QUIT\r\n');
    const { rows } = await db.query(`SELECT report_id FROM report WHERE report_id LIKE 'pipelined-%' ORDER BY report_id`);
    expect(rows.map((r) => r.report_id)).toEqual(['pipelined-1', 'pipelined-2']);
  });

  it('a client that talks before the greeting is still heard (and refused as an early talker)', async () => {
    const socket = await open(app.smtpPort);
    const server = chunksOf(socket);
    socket.write('EHLO early.test\r\n');
    // The corking listener joins only once smtp-server reads the socket: the early bytes still reach its parser.
    expect((await server.next()).join('')).toMatch(/^421 .*You talk too soon\r\n$/);
    socket.destroy();
  });
});
