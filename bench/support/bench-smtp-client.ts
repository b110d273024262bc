import { connect, type Socket } from 'node:net';

/**
 * A light raw-socket SMTP client for the bench: one connection sends many messages back to back
 * (MAIL/RCPT/DATA per message), so the client costs far less than the servers it measures.
 */
export class BenchSmtpConnection {
  private buffer = '';
  private waiting: ((line: string) => void) | null = null;
  private lines: string[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      this.buffer += chunk.toString('latin1');
      let i;
      while ((i = this.buffer.indexOf('\r\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 2);
        if (line[3] === '-') continue;
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          w(line);
        } else this.lines.push(line);
      }
    });
    // A closed connection answers whatever was still awaited, so a run fails loudly instead of hanging.
    socket.on('close', () => {
      const w = this.waiting;
      this.waiting = null;
      w?.('421 connection closed by the server');
    });
  }

  static async open(port: number): Promise<BenchSmtpConnection> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const c = new BenchSmtpConnection(socket);
    const greeting = await c.reply();
    if (!greeting.startsWith('220')) throw new Error(`SMTP server on port ${port} refused the connection: ${greeting}`);
    c.socket.write('EHLO bench.client\r\n');
    await c.reply();
    return c;
  }

  private reply(): Promise<string> {
    if (this.lines.length) return Promise.resolve(this.lines.shift()!);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Sends one message (already dot-stuffed, CRLF line ends) and returns the final reply code. */
  async send(to: string, data: Buffer): Promise<number> {
    this.socket.write(`MAIL FROM:<bench@reporter.test>\r\nRCPT TO:<${to}>\r\nDATA\r\n`);
    await this.reply();
    await this.reply();
    const dataReply = await this.reply();
    if (!dataReply.startsWith('354')) return Number(dataReply.slice(0, 3));
    this.socket.write(data);
    this.socket.write('\r\n.\r\n');
    return Number((await this.reply()).slice(0, 3));
  }

  close(): void {
    this.socket.end('QUIT\r\n');
  }
}

export function toSmtpData(mail: string): Buffer {
  let text = mail.replace(/\r?\n/g, '\r\n');
  if (text.endsWith('\r\n')) text = text.slice(0, -2);
  return Buffer.from(text.replace(/^\./gm, '..'), 'latin1');
}

/** Runs `total` deliveries over `connections` parallel connections; returns per-message latencies (ms) and wall time. */
export async function smtpLoad(opts: {
  port: number;
  to: string;
  connections: number;
  total: number;
  message: (i: number) => Buffer;
}): Promise<{ wallMs: number; latencies: number[]; failures: number }> {
  const conns = await Promise.all(Array.from({ length: opts.connections }, () => BenchSmtpConnection.open(opts.port)));
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    conns.map(async (c) => {
      for (;;) {
        const i = next++;
        if (i >= opts.total) break;
        const t0 = performance.now();
        const code = await c.send(opts.to, opts.message(i));
        latencies.push(performance.now() - t0);
        if (code !== 250) failures++;
      }
    }),
  );
  const wallMs = performance.now() - started;
  for (const c of conns) c.close();
  return { wallMs, latencies, failures };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
