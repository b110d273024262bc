// What a TLS handshake tells about the peer certificate, judged for one expected host name.
import { checkServerIdentity, rootCertificates, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { CertificateInfo } from './checker.types.js';

/** System roots plus the configured extra CAs; undefined keeps node's default store. */
export function trustedCas(caCerts: string[] | undefined): string[] | undefined {
  return caCerts && caCerts.length > 0 ? [...rootCertificates, ...caCerts] : undefined;
}

function dnsNames(cert: PeerCertificate): string[] {
  const san = cert.subjectaltname ?? '';
  const names = san
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4).toLowerCase());
  if (names.length > 0) return names;
  const cn = typeof cert.subject?.CN === 'string' ? cert.subject.CN : null;
  return cn ? [cn.toLowerCase()] : [];
}

function isoDate(text: string | undefined): string | null {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function certificateInfo(socket: TLSSocket, expectedHost: string): CertificateInfo | null {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return null;
  const identity = checkServerIdentity(expectedHost, cert);
  const authError = socket.authorizationError;
  return {
    subjectCn: typeof cert.subject?.CN === 'string' ? cert.subject.CN : null,
    names: dnsNames(cert),
    issuerCn: typeof cert.issuer?.CN === 'string' ? cert.issuer.CN : null,
    validFrom: isoDate(cert.valid_from),
    notAfter: isoDate(cert.valid_to),
    chainValid: socket.authorized,
    chainError: socket.authorized ? null : describeAuthError(authError),
    nameMatches: identity === undefined,
    nameError: identity === undefined ? null : identity.message,
  };
}

function describeAuthError(err: Error | string | null | undefined): string {
  if (!err) return 'certificate not trusted';
  const code = typeof err === 'string' ? err : ((err as { code?: string }).code ?? err.message);
  const known: Record<string, string> = {
    CERT_HAS_EXPIRED: 'certificate has expired',
    CERT_NOT_YET_VALID: 'certificate is not yet valid',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
    SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in chain',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  };
  return known[code] ?? code;
}

/** The certificate is valid for the host: trusted chain, not expired, name matches. */
export function certAcceptable(info: CertificateInfo | null): boolean {
  return info !== null && info.chainValid && info.nameMatches;
}

/** One-line reason a certificate is not acceptable, or null. */
export function certProblem(info: CertificateInfo | null): string | null {
  if (info === null) return 'no certificate presented';
  if (!info.chainValid) return info.chainError ?? 'certificate not trusted';
  if (!info.nameMatches) return `hostname mismatch: ${info.nameError ?? ''}`.trim();
  return null;
}
