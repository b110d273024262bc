import { connect, type Socket } from 'node:net';

export interface SmtpReplyLine {
  code: number;
  text: string;
}

export interface SmtpSendResult {
  /** The reply to the step that ended the dialogue (the DATA body, or the command that was refused). */
  final: SmtpReplyLine;
  stage: 'connect' | 'ehlo' | 'mail' | 'rcpt' | 'data' | 'body';
  ehlo: string[];
}

/**
 * A small raw-socket SMTP client for tests: it reports the exact reply code and text of each step, which
 * nodemailer hides behind error objects. Dot-stuffs the body and ends with CRLF.CRLF.
 */
export async function sendSmtp(opts: {
  port: number;
  host?: string;
  from?: string;
  to: string[];
  data: Buffer | string;
}): Promise<SmtpSendResult> {
  const socket = connect(opts.port, opts.host ?? '127.0.0.1');
  const reader = new ReplyReader(socket);
  try {
    const greeting = await reader.next();
    if (greeting.code !== 220) return { final: greeting, stage: 'connect', ehlo: [] };
    socket.write('EHLO test.client\r\n');
    const ehlo = await reader.nextMulti();
    const ehloLast = ehlo[ehlo.length - 1];
    if (ehloLast.code !== 250) return { final: ehloLast, stage: 'ehlo', ehlo: [] };
    socket.write(`MAIL FROM:<${opts.from ?? 'sender@reporter.test'}>\r\n`);
    const mail = await reader.next();
    if (mail.code !== 250) return { final: mail, stage: 'mail', ehlo: ehlo.map((l) => l.text) };
    for (const rcpt of opts.to) {
      socket.write(`RCPT TO:<${rcpt}>\r\n`);
      const r = await reader.next();
      if (r.code !== 250) return { final: r, stage: 'rcpt', ehlo: ehlo.map((l) => l.text) };
    }
    socket.write('DATA\r\n');
    const data = await reader.next();
    if (data.code !== 354) return { final: data, stage: 'data', ehlo: ehlo.map((l) => l.text) };
    socket.write(dotStuff(Buffer.isBuffer(opts.data) ? opts.data : Buffer.from(opts.data)));
    socket.write('\r\n.\r\n');
    const final = await reader.next();
    socket.write('QUIT\r\n');
    return { final, stage: 'body', ehlo: ehlo.map((l) => l.text) };
  } finally {
    socket.end();
    socket.destroy();
  }
}

function dotStuff(body: Buffer): Buffer {
  let text = body.toString('latin1').replace(/\r?\n/g, '\r\n');
  if (text.endsWith('\r\n')) text = text.slice(0, -2);
  return Buffer.from(text.replace(/^\./gm, '..'), 'latin1');
}

class ReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private waiters: Array<(line: string | null) => void> = [];
  private closed = false;

  constructor(socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer += chunk.toString('latin1');
      let i: number;
      while ((i = this.buffer.indexOf('\r\n')) >= 0) {
        this.push(this.buffer.slice(0, i));
        this.buffer = this.buffer.slice(i + 2);
      }
    });
    const end = () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(null);
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  private push(line: string) {
    const w = this.waiters.shift();
    if (w) w(line);
    else this.lines.push(line);
  }

  private line(): Promise<string | null> {
    if (this.lines.length) return Promise.resolve(this.lines.shift()!);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async nextMulti(): Promise<SmtpReplyLine[]> {
    const out: SmtpReplyLine[] = [];
    for (;;) {
      const line = await this.line();
      if (line === null) return [...out, { code: 0, text: 'connection closed' }];
      out.push({ code: Number(line.slice(0, 3)), text: line.slice(4) });
      if (line[3] !== '-') return out;
    }
  }

  async next(): Promise<SmtpReplyLine> {
    const all = await this.nextMulti();
    return { code: all[all.length - 1].code, text: all.map((l) => l.text).join('\n') };
  }
}
