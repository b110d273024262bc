/** Stable codes for everything that can stop a mailbox sync; the CLI, the logs and /api/sources show them. */
export type ImapErrorCode =
  | 'AUTH_FAILED'
  | 'TLS_CERTIFICATE'
  | 'FOLDER_MISSING'
  | 'CONNECTION_FAILED'
  | 'TIMEOUT'
  | 'TOKEN_REFRESH_FAILED'
  | 'LOCKED'
  | 'INGEST_FAILED'
  | 'IMAP_ERROR';

export class ImapSourceError extends Error {
  constructor(
    readonly code: ImapErrorCode,
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ImapSourceError';
  }
}

const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'NoConnection', 'EConnectionClosed']);

interface ImapFlowErrorShape {
  code?: string;
  authenticationFailed?: boolean;
  mailboxMissing?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  message?: string;
}

/**
 * Maps imapflow / Node socket errors to our codes, so nothing upstream matches on English text. `folder` names the
 * mailbox in the message when the server says it does not exist.
 */
export function classifyImapError(err: unknown, where: { host: string; port: number; folder?: string }): ImapSourceError {
  if (err instanceof ImapSourceError) return err;
  const e = (err ?? {}) as ImapFlowErrorShape;
  const detail = e.responseText || e.message || String(err);
  const at = `${where.host}:${where.port}`;
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new ImapSourceError('AUTH_FAILED', `login to ${at} was refused: wrong user, password or token (${detail})`, err);
  }
  if (e.code && CERT_CODES.has(e.code)) {
    return new ImapSourceError('TLS_CERTIFICATE', `the certificate of ${at} is not trusted (${e.code}: ${detail}); set caFile for a private CA`, err);
  }
  if (e.mailboxMissing || e.serverResponseCode === 'NONEXISTENT') {
    return new ImapSourceError('FOLDER_MISSING', `folder "${where.folder ?? '?'}" does not exist on ${at}`, err);
  }
  if (e.code === 'ETIMEDOUT' || e.code === 'ETIMEOUT' || e.code === 'CONNECT_TIMEOUT' || e.code === 'GREETING_TIMEOUT' || e.code === 'UPGRADE_TIMEOUT') {
    return new ImapSourceError('TIMEOUT', `${at} did not answer in time (${detail})`, err);
  }
  if (e.code && CONNECTION_CODES.has(e.code)) {
    return new ImapSourceError('CONNECTION_FAILED', `cannot connect to ${at} (${e.code}: ${detail})`, err);
  }
  return new ImapSourceError('IMAP_ERROR', `IMAP error from ${at}: ${detail}`, err);
}
