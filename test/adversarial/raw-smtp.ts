import { connect } from 'node:net';

export interface RawSmtpResult {
  /** The reply to the last step sent; `code` 0 when the connection closed first, -1 on the case timeout. */
  code: number;
  text: string;
  stage: 'greeting' | 'ehlo' | 'mail' | 'rcpt' | 'data' | 'body' | 'timeout';
  ms: number;
}

/**
 * One SMTP transaction that sends the body bytes as given (bare LF, NUL, 8-bit bytes included): only lines
 * starting with "." are dot-stuffed. The whole dialogue must end within `timeoutMs`, or the case is a hang.
 */
export function sendRawSmtp(opts: { port: number; from: string; to: string; body: Buffer; timeoutMs: number; stopAfter?: 'rcpt' }): Promise<RawSmtpResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(opts.port, '127.0.0.1');
    let buffer = '';
    let stage: RawSmtpResult['stage'] = 'greeting';
    let done = false;
    const finish = (code: number, text: string, at: RawSmtpResult['stage'] = stage) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.end('QUIT\r\n');
      socket.destroy();
      resolve({ code, text, stage: at, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(-1, `no reply within ${opts.timeoutMs} ms at ${stage}`, 'timeout'), opts.timeoutMs);
    const pending: string[] = [];
    const onReply = (code: number, text: string) => {
      switch (stage) {
        case 'greeting':
          if (code !== 220) return finish(code, text);
          stage = 'ehlo';
          return void socket.write('EHLO corpus.client\r\n');
        case 'ehlo':
          if (code !== 250) return finish(code, text);
          stage = 'mail';
          return void socket.write(`MAIL FROM:<${opts.from}>\r\n`);
        case 'mail':
          if (code !== 250) return finish(code, text);
          stage = 'rcpt';
          return void socket.write(`RCPT TO:<${opts.to}>\r\n`);
        case 'rcpt':
          if (code !== 250 || opts.stopAfter === 'rcpt') return finish(code, text);
          stage = 'data';
          return void socket.write('DATA\r\n');
        case 'data':
          if (code !== 354) return finish(code, text);
          stage = 'body';
          socket.write(dotStuff(opts.body));
          // The terminator is always CRLF.CRLF: a body with bare LF line ends still has to be ended properly.
          return void socket.write('\r\n.\r\n');
        case 'body':
          return finish(code, text);
      }
    };
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        pending.push(line.slice(4));
        if (line[3] === '-') continue;
        const text = pending.splice(0).join('\n');
        onReply(Number(line.slice(0, 3)), text);
      }
    });
    socket.on('close', () => finish(0, 'connection closed'));
    socket.on('error', (err) => finish(0, `socket error: ${err.message}`));
  });
}

function dotStuff(body: Buffer): Buffer {
  const text = body.toString('latin1');
  return Buffer.from((text.startsWith('.') ? '.' : '') + text.replace(/\n\./g, '\n..'), 'latin1');
}
