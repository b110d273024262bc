import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../support/free-port.js';

export interface SpawnedServer {
  proc: ChildProcess;
  smtpPort: number;
  httpPort: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** The pino JSON lines only (the one-time admin-token banner on stdout is not a log line). */
  logLines(): Array<Record<string, unknown>>;
  /** Resolves when a log line matching `test` appears (or rejects after `ms`). */
  waitForLog(test: (line: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the built server (`dist/`, as `npm start` runs it) on free loopback ports and waits until it listens. */
export async function spawnServer(env: Record<string, string>, ports?: { smtpPort: number; httpPort: number }): Promise<SpawnedServer> {
  const smtpPort = ports?.smtpPort ?? (await freePort());
  const httpPort = ports?.httpPort ?? (await freePort());
  const proc = spawn(process.execPath, ['dist/apps/server/src/main.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      SMTP_HOST: '127.0.0.1',
      HTTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      HTTP_PORT: String(httpPort),
      SMTP_HOSTNAME: 'mx.reports.test',
      SMTP_RECIPIENT_DOMAINS: 'reports.test',
      // Offline: DKIM key lookups go to a closed loopback port and fail at once.
      DNS_SERVERS: '127.0.0.1:9',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (c) => (out += c));
  proc.stderr!.on('data', (c) => (out += c));
  const logLines = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  const deadline = Date.now() + 60_000;
  while (!out.includes('HTTP listening')) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    proc,
    smtpPort,
    httpPort,
    output: () => out,
    logLines,
    waitForLog: async (test, ms = 5_000) => {
      const end = Date.now() + ms;
      for (;;) {
        const hit = logLines().find(test);
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`no such log line within ${ms} ms; log:\n${out.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    kill: async (signal = 'SIGTERM') => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      await exited;
    },
  };
}
