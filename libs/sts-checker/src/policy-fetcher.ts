// Policy fetch exactly as a sender does it (STS-POL-1..5, STS-POL-17): HTTPS to the address DNS gave,
// SNI = policy host, TLS ≥ 1.2, no redirects followed, body capped at 64 KiB, one overall time limit.
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { certificateInfo, trustedCas } from './cert-info.js';
import type { CertificateInfo, FetchErrorCode, PolicyFetchDetail } from './checker.types.js';

export const DEFAULT_HTTPS_TIMEOUT_MS = 60_000;
/** STS-POL-17. */
export const POLICY_BODY_CAP = 65_536;
export const POLICY_PATH = '/.well-known/mta-sts.txt';

/** The fetch detail of a policy host that was never contacted (no address, not public, not checked). */
export function unfetchedPolicy(
  policyHost: string,
  errorCode: FetchErrorCode,
  error: string,
  opts: { skippedAddresses?: string[]; elapsedMs?: number } = {},
): PolicyFetchDetail {
  return {
    url: `https://${policyHost}${POLICY_PATH}`,
    address: null,
    skippedAddresses: opts.skippedAddresses ?? [],
    status: null,
    contentType: null,
    location: null,
    tlsVersion: null,
    cert: null,
    body: null,
    bodyBytes: 0,
    errorCode,
    error,
    elapsedMs: opts.elapsedMs ?? 0,
  };
}

export interface FetchTarget {
  policyHost: string;
  /** Addresses to try in order; each already passed the address guard. */
  addresses: string[];
  port: number;
  caCerts?: string[];
  timeoutMs: number;
}

interface Attempt {
  address: string;
  status: number | null;
  contentType: string | null;
  location: string | null;
  tlsVersion: string | null;
  cert: CertificateInfo | null;
  body: string | null;
  bodyBytes: number;
  errorCode: FetchErrorCode | null;
  error: string | null;
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function classifyError(err: Error): FetchErrorCode {
  const code = (err as { code?: string }).code ?? '';
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EADDRNOTAVAIL'].includes(code)) return 'CONNECT_FAILED';
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /ssl|tls|handshake/i.test(err.message)) return 'TLS_FAILED';
  return 'HTTP_ERROR';
}

function fetchOnce(target: FetchTarget, address: string, deadline: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const attempt: Attempt = {
      address,
      status: null,
      contentType: null,
      location: null,
      tlsVersion: null,
      cert: null,
      body: null,
      bodyBytes: 0,
      errorCode: null,
      error: null,
    };
    let settled = false;
    const finish = (code: FetchErrorCode | null, message: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (attempt.errorCode === null) {
        attempt.errorCode = code;
        attempt.error = message;
      }
      resolve(attempt);
    };
    const req = request({
      host: address,
      port: target.port,
      path: POLICY_PATH,
      method: 'GET',
      servername: target.policyHost,
      headers: { host: target.policyHost, 'user-agent': 'sts-pilot-checker', accept: 'text/plain' },
      // The certificate is judged after the handshake so its problems can be reported precisely.
      rejectUnauthorized: false,
      // `authorized` then reflects the chain alone; the name is checked separately in certificateInfo.
      checkServerIdentity: () => undefined,
      ca: trustedCas(target.caCerts),
      minVersion: 'TLSv1.2',
      agent: false,
    });
    const timer = setTimeout(
      () => {
        finish('TIMEOUT', `no complete answer within ${target.timeoutMs} ms`);
        req.destroy();
      },
      Math.max(deadline - Date.now(), 1),
    );
    req.on('socket', (socket) => {
      socket.once('secureConnect', () => {
        const tls = socket as TLSSocket;
        attempt.tlsVersion = tls.getProtocol() ?? null;
        attempt.cert = certificateInfo(tls, target.policyHost);
      });
    });
    req.on('response', (res: IncomingMessage) => {
      attempt.status = res.statusCode ?? null;
      attempt.contentType = headerValue(res.headers['content-type']);
      attempt.location = headerValue(res.headers.location);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        attempt.bodyBytes += chunk.length;
        chunks.push(chunk);
        if (attempt.bodyBytes > POLICY_BODY_CAP) {
          // Keep one byte past the cap so consumers can see the body was over it.
          attempt.body = decode(Buffer.concat(chunks).subarray(0, POLICY_BODY_CAP + 1));
          finish('BODY_TOO_LARGE', `the body is larger than ${POLICY_BODY_CAP} bytes; the download was stopped`);
          req.destroy();
        }
      });
      res.on('end', () => {
        if (attempt.body === null) attempt.body = decode(Buffer.concat(chunks));
        finish(null, null);
      });
      res.on('error', (err) => finish(classifyError(err), err.message));
    });
    req.on('error', (err) => finish(classifyError(err), err.message));
    req.end();
  });
}

// A BOM is kept: it makes the policy invalid (STS-POL-7) and the parser must see it.
function decode(bytes: Buffer): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

export async function fetchPolicy(target: FetchTarget): Promise<PolicyFetchDetail> {
  const started = performance.now();
  const deadline = Date.now() + target.timeoutMs;
  const url = `https://${target.policyHost}${POLICY_PATH}`;
  let last: Attempt | null = null;
  for (const address of target.addresses) {
    last = await fetchOnce(target, address, deadline);
    // Like a sender, move on to the next address only when this one could not be reached.
    if (last.errorCode !== 'CONNECT_FAILED' || Date.now() >= deadline) break;
  }
  const elapsedMs = Math.round(performance.now() - started);
  if (last === null) return unfetchedPolicy(target.policyHost, 'HOST_NOT_FOUND', 'no address to connect to', { elapsedMs });
  return { url, skippedAddresses: [], ...last, elapsedMs };
}
