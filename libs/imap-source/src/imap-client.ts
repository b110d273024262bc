import { readFile } from 'node:fs/promises';
import type { ImapSourceConfig } from '@app/config';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { classifyImapError, ImapSourceError } from './imap-errors.js';
import type { TokenProvider } from './token-provider.js';

export interface ConnectOptions {
  tokens?: TokenProvider;
  /** Milliseconds of inactivity before imapflow enters IDLE after a round. */
  autoIdleDelayMs?: number;
  connectionTimeoutMs?: number;
}

/**
 * Connects and logs in with the source's TLS mode and credentials. Certificate checks stay on unless the source
 * turns them off; `caFile` adds a private CA. Errors come back classified (AUTH_FAILED, TLS_CERTIFICATE, ...).
 */
export async function openImapClient(source: ImapSourceConfig, opts: ConnectOptions = {}): Promise<ImapFlow> {
  try {
    return await connectOnce(source, opts);
  } catch (err) {
    // A cached token the server refuses may have been revoked or rotated: one retry with a freshly fetched token.
    if (!(err instanceof ImapSourceError) || err.code !== 'AUTH_FAILED' || !opts.tokens) throw err;
    opts.tokens.invalidate();
    return connectOnce(source, opts);
  }
}

async function connectOnce(source: ImapSourceConfig, opts: ConnectOptions): Promise<ImapFlow> {
  const where = { host: source.host, port: source.port, folder: source.folder };
  let ca: Buffer | undefined;
  if (source.caFile) {
    try {
      ca = await readFile(source.caFile);
    } catch (err) {
      throw new ImapSourceError('TLS_CERTIFICATE', `cannot read caFile "${source.caFile}" (${(err as NodeJS.ErrnoException).code ?? err})`, err);
    }
  }
  let auth: ImapFlowOptions['auth'];
  if (source.oauth2) {
    if (!opts.tokens) throw new Error('an oauth2 source needs a token provider');
    auth = { user: source.user, accessToken: await opts.tokens.getToken() };
  } else {
    auth = { user: source.user, pass: source.password! };
  }
  const client = new ImapFlow({
    host: source.host,
    port: source.port,
    secure: source.tls === 'implicit',
    // STARTTLS is required, never optional: a server that does not offer it must not get the password in clear.
    doSTARTTLS: source.tls === 'starttls' ? true : undefined,
    tls: { rejectUnauthorized: source.rejectUnauthorized, ...(ca ? { ca } : {}) },
    auth,
    logger: false,
    connectionTimeout: opts.connectionTimeoutMs ?? 30_000,
    autoIdleDelay: opts.autoIdleDelayMs ?? 1_000,
  } as ImapFlowOptions);
  // Errors after connect (socket reset during IDLE) surface as 'error' events; without a listener they would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw classifyImapError(err, where);
  }
  return client;
}
