// Probe of one MX as a sending MTA sees it (ROLL-7, CHK-14): banner, EHLO, STARTTLS, TLS ≥ 1.2 with SNI = MX host.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { certificateInfo, certProblem, trustedCas } from './cert-info.js';
import type { CertificateInfo, MxProbeDetail, ProbeErrorCode } from './checker.types.js';
import { replyText, SmtpDialogue } from './smtp-dialogue.js';

export const DEFAULT_SMTP_TIMEOUT_MS = 30_000;
export const DEFAULT_EHLO_NAME = 'sts-pilot.invalid';

export interface ProbeTarget {
  host: string;
  priority: number;
  /** Addresses to try in order; each already passed the address guard. */
  addresses: string[];
  port: number;
  caCerts?: string[];
  timeoutMs: number;
  ehloName: string;
}

interface Outcome {
  banner: string | null;
  starttlsOffered: boolean | null;
  tlsVersion: string | null;
  cert: CertificateInfo | null;
  errorCode: ProbeErrorCode | null;
  error: string | null;
}

class ProbeStop extends Error {
  constructor(
    readonly code: ProbeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function connectPlain(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(new ProbeStop('CONNECT_FAILED', `connection to ${address} port ${port} failed: ${(err as { code?: string }).code ?? err.message}`));
    });
  });
}

function startTls(socket: Socket, target: ProbeTarget): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      servername: target.host,
      // The certificate is judged after the handshake so its problems can be reported precisely.
      rejectUnauthorized: false,
      // `authorized` then reflects the chain alone; the name is checked separately in certificateInfo.
      checkServerIdentity: () => undefined,
      ca: trustedCas(target.caCerts),
      minVersion: 'TLSv1.2',
    });
    tls.once('secureConnect', () => {
      tls.removeAllListeners('error');
      tls.on('error', () => undefined);
      resolve(tls);
    });
    tls.once('error', (err) => {
      tls.destroy();
      reject(new ProbeStop('TLS_FAILED', `TLS handshake failed: ${(err as { code?: string }).code ?? err.message}`));
    });
  });
}

function classify(code: number, stage: string, reply: string): ProbeStop {
  if (code >= 400 && code < 500) return new ProbeStop('TEMPORARY_REPLY', `temporary reply to ${stage}: ${reply}`);
  return new ProbeStop('REJECTED', `${stage} refused: ${reply}`);
}

async function dialogue(target: ProbeTarget, address: string, out: Outcome, sockets: Socket[]): Promise<void> {
  const plain = await connectPlain(address, target.port);
  sockets.push(plain);
  const smtp = new SmtpDialogue(plain);
  const banner = await smtp.read();
  out.banner = replyText(banner);
  if (banner.code !== 220) throw classify(banner.code, 'the connection', out.banner);
  const ehlo = await smtp.command(`EHLO ${target.ehloName}`);
  if (ehlo.code >= 500) {
    // A server that refuses EHLO offers no extensions, so senders get no STARTTLS.
    out.starttlsOffered = false;
    throw new ProbeStop('NO_STARTTLS', `EHLO refused (${replyText(ehlo)}), so STARTTLS is not available`);
  }
  if (ehlo.code !== 250) throw classify(ehlo.code, 'EHLO', replyText(ehlo));
  out.starttlsOffered = ehlo.lines.slice(1).some((l) => /^STARTTLS\b/i.test(l.trim()));
  if (!out.starttlsOffered) {
    plain.write('QUIT\r\n');
    throw new ProbeStop('NO_STARTTLS', 'STARTTLS is not offered in the EHLO reply');
  }
  const go = await smtp.command('STARTTLS');
  if (go.code >= 500) throw new ProbeStop('NO_STARTTLS', `STARTTLS refused: ${replyText(go)}`);
  if (go.code !== 220) throw classify(go.code, 'STARTTLS', replyText(go));
  smtp.detach();
  const tls = await startTls(plain, target);
  sockets.push(tls);
  out.tlsVersion = tls.getProtocol() ?? null;
  out.cert = certificateInfo(tls, target.host);
  tls.end('QUIT\r\n');
  const problem = certProblem(out.cert);
  if (problem !== null) throw new ProbeStop('CERT_INVALID', problem);
}

async function probeAddress(target: ProbeTarget, address: string, deadline: number): Promise<Outcome> {
  const out: Outcome = { banner: null, starttlsOffered: null, tlsVersion: null, cert: null, errorCode: null, error: null };
  const sockets: Socket[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProbeStop('TIMEOUT', `no answer within ${target.timeoutMs} ms${out.banner === null ? ' (no banner)' : ''}`)),
      Math.max(deadline - Date.now(), 1),
    );
  });
  try {
    await Promise.race([dialogue(target, address, out, sockets), timeout]);
  } catch (err) {
    if (err instanceof ProbeStop) {
      out.errorCode = err.code;
      out.error = err.message;
    } else {
      out.errorCode = 'CONNECT_FAILED';
      out.error = err instanceof Error ? err.message : String(err);
    }
  } finally {
    clearTimeout(timer);
    // Only the outermost socket: destroying a plain socket under a live TLS socket crashes node 20.
    sockets.at(-1)?.destroy();
  }
  return out;
}

export async function probeMx(target: ProbeTarget): Promise<MxProbeDetail> {
  const started = performance.now();
  const deadline = Date.now() + target.timeoutMs;
  let address: string | null = null;
  let out: Outcome | null = null;
  for (const candidate of target.addresses) {
    address = candidate;
    out = await probeAddress(target, candidate, deadline);
    if (out.errorCode !== 'CONNECT_FAILED' || Date.now() >= deadline) break;
  }
  const base = { host: target.host, priority: target.priority, address, skippedAddresses: [], elapsedMs: 0 };
  const result: MxProbeDetail = out
    ? { ...base, ...out }
    : { ...base, banner: null, starttlsOffered: null, tlsVersion: null, cert: null, errorCode: 'HOST_NOT_FOUND', error: 'no address to connect to' };
  result.elapsedMs = Math.round(performance.now() - started);
  return result;
}
