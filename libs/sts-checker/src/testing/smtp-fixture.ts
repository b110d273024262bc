// MX hosts on loopback addresses: smtp-server with or without STARTTLS, and a host that never answers.
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { SMTPServer } from 'smtp-server';
import type { KeyAndCert } from './test-ca.js';

export interface SmtpFixtureOptions {
  /** Loopback address to listen on, e.g. `127.0.0.2`; default 127.0.0.1. */
  address?: string;
  /** 0 or absent: an ephemeral port. */
  port?: number;
  /** `none`: STARTTLS is not offered. */
  tls: KeyAndCert | 'none';
  /** Greet every connection with `421` (greylisting / temporary refusal). */
  greylist?: boolean;
}

export interface SmtpFixture {
  address: string;
  port: number;
  /** SNI names received in STARTTLS handshakes. */
  servernames: string[];
  stop(): Promise<void>;
}

export async function startSmtpServer(opts: SmtpFixtureOptions): Promise<SmtpFixture> {
  const address = opts.address ?? '127.0.0.1';
  const servernames: string[] = [];
  const keyCert = opts.tls === 'none' ? null : { key: opts.tls.key, cert: opts.tls.cert };
  const context = keyCert ? createSecureContext(keyCert) : null;
  const tls = keyCert
    ? {
        ...keyCert,
        // Runs during the handshake, so the name is recorded before the client sees secureConnect.
        SNICallback: (servername: string, cb: (err: Error | null, ctx?: SecureContext) => void) => {
          servernames.push(servername);
          cb(null, context ?? undefined);
        },
      }
    : {};
  const server = new SMTPServer({
    ...tls,
    secure: false,
    hideSTARTTLS: opts.tls === 'none',
    logger: false,
    authOptional: true,
    disabledCommands: ['AUTH'],
    disableReverseLookup: true,
    onConnect(_session, callback) {
      if (opts.greylist) return callback(Object.assign(new Error('Greylisted, please try again later'), { responseCode: 421 }));
      callback();
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, address, () => resolve());
  });
  return {
    address,
    port: (server.server.address() as AddressInfo).port,
    servernames,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Accepts TCP connections and never says a word: the probe must time out. */
export async function startSilentServer(opts: { address?: string; port?: number } = {}): Promise<SmtpFixture> {
  const address = opts.address ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, address, () => resolve());
  });
  return {
    address,
    port: (server.address() as AddressInfo).port,
    servernames: [],
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
