import { connect, type Socket } from 'node:net';

/** A step-by-step SMTP dialogue for limit tests: each reply is read whole (multi-line joined), exactly as sent. */
export class SmtpConversation {
  private buffer = '';
  private replies: string[] = [];
  private waiters: Array<(reply: string | null) => void> = [];
  private pending: string[] = [];
  readonly closed: Promise<void>;
  private isClosed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer += chunk.toString('latin1');
      let i: number;
      while ((i = this.buffer.indexOf('\r\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 2);
        this.pending.push(line);
        if (line[3] === '-') continue;
        const reply = this.pending.splice(0).join('\n');
        const w = this.waiters.shift();
        if (w) w(reply);
        else this.replies.push(reply);
      }
    });
    this.closed = new Promise((resolve) => {
      const end = () => {
        this.isClosed = true;
        for (const w of this.waiters.splice(0)) w(null);
        resolve();
      };
      socket.on('close', end);
      socket.on('error', end);
    });
  }

  static async open(port: number, localAddress?: string): Promise<{ conv: SmtpConversation; greeting: string | null }> {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    const conv = new SmtpConversation(socket);
    return { conv, greeting: await conv.reply() };
  }

  /** The next reply, or null when the server closed the connection first. */
  reply(timeoutMs = 10_000): Promise<string | null> {
    if (this.replies.length) return Promise.resolve(this.replies.shift()!);
    if (this.isClosed) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(`(no reply within ${timeoutMs} ms)`), timeoutMs);
      this.waiters.push((r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  async send(line: string): Promise<string | null> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }
}
