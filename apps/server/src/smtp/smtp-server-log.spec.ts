import { pino } from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { smtpServerLogAdapter } from './smtp-server-log.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { log: pino({ level: 'debug', base: undefined, timestamp: false }, sink), lines };
}

describe('smtpServerLogAdapter', () => {
  it('logs the 4xx/5xx replies smtp-server sends on its own (timeouts, caps, SIZE) with the client address', () => {
    const { log, lines } = capture();
    const a = smtpServerLogAdapter(log, (cid) => (cid === 'c1' ? '192.0.2.7' : undefined));
    a.debug({ tnx: 'send', cid: 'c1' }, 'S:', '421 Timeout - closing connection');
    a.debug({ tnx: 'send', cid: 'c1' }, 'S:', '250 OK');
    a.debug({ tnx: 'send', cid: 'c2' }, 'S:', '552 Error: message exceeds fixed maximum message size 100');
    a.info({ tnx: 'connection', cid: 'c1' }, 'Connection from %s', 'x');
    expect(lines).toEqual([
      { level: 30, cid: 'c1', ip: '192.0.2.7', code: 421, msg: 'SMTP refusal sent: 421 Timeout - closing connection' },
      { level: 30, cid: 'c2', code: 552, msg: 'SMTP refusal sent: 552 Error: message exceeds fixed maximum message size 100' },
    ]);
  });
});
