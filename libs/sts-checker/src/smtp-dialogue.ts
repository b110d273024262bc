// Minimal SMTP client side for probing: reads multi-line replies and sends commands on a plain socket.
import type { Socket } from 'node:net';

export interface SmtpReply {
  code: number;
  lines: string[];
}

/** Replies longer than this are not SMTP; stop reading rather than buffer without limit. */
const MAX_REPLY_BYTES = 16_384;

export class SmtpDialogue {
  private buffer = '';
  private lines: string[] = [];
  private readonly replies: SmtpReply[] = [];
  private waiting: { resolve: (r: SmtpReply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private readonly onData = (chunk: Buffer): void => {
    this.buffer += chunk.toString('latin1');
    if (this.buffer.length > MAX_REPLY_BYTES) {
      this.fail(new Error('reply too long'));
      return;
    }
    this.drain();
  };

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  fail(err: Error): void {
    if (this.failure === null) this.failure = err;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(this.failure);
  }

  private drain(): void {
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.lines.push(line);
      // The last line of a reply has a space (or nothing) after the code: "250 OK".
      if (/^\d{3}(?: |$)/.test(line) || !/^\d{3}-/.test(line)) {
        const reply: SmtpReply = { code: Number(line.slice(0, 3)) || 0, lines: this.lines.map((l) => l.slice(4)) };
        this.lines = [];
        this.replies.push(reply);
      }
    }
    const next = this.waiting && this.replies.shift();
    if (next) {
      const w = this.waiting;
      this.waiting = null;
      w?.resolve(next);
    }
  }

  read(): Promise<SmtpReply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.drain();
    });
  }

  async command(line: string): Promise<SmtpReply> {
    this.socket.write(`${line}\r\n`);
    return this.read();
  }

  /** Stop reading so the socket can be handed to TLS. */
  detach(): void {
    this.socket.removeListener('data', this.onData);
    this.socket.removeAllListeners('close');
  }
}

export function replyText(reply: SmtpReply): string {
  return `${reply.code} ${reply.lines.join(' / ')}`.trim();
}
