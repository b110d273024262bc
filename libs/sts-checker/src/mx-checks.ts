// The MX set and the per-MX STARTTLS probes (ROLL-7, CHK-14).
import type { Finding } from '@app/mta-sts';
import type { MxLookup, MxProbeDetail } from './checker.types.js';
import { isNoDataError } from './dns-lookup.js';
import { expiryFinding, finding } from './finding.js';
import { hostNameProblem, isIpLiteral } from './host-name.js';

export type MxHostVerdict = 'ok' | 'null' | 'ip' | 'invalid';

export function mxHostVerdict(exchange: string): MxHostVerdict {
  if (exchange === '' || exchange === '.') return 'null';
  if (isIpLiteral(exchange.replace(/\.$/, ''))) return 'ip';
  return hostNameProblem(exchange) === null ? 'ok' : 'invalid';
}

export function checkMxSet(domain: string, lookup: MxLookup): Finding[] {
  if (lookup.error !== null && !isNoDataError(lookup.error)) {
    return [finding('error', 'DNS_LOOKUP_FAILED', `The MX lookup of ${domain} failed (${lookup.error}); the MX hosts could not be checked.`)];
  }
  if (lookup.records.length === 0) {
    return [
      finding('error', 'MX_INVALID', `${domain} has no MX record; mail would go to the domain's own address (implicit MX), which an MTA-STS policy cannot describe. Publish MX records.`),
    ];
  }
  const out: Finding[] = [];
  for (const r of lookup.records) {
    const verdict = mxHostVerdict(r.exchange);
    if (verdict === 'null') {
      out.push(finding('error', 'MX_INVALID', `${domain} publishes a null MX ("${r.priority} ."), so it accepts no mail; MTA-STS does not apply.`));
    } else if (verdict === 'ip') {
      out.push(finding('error', 'MX_INVALID', `The MX record of ${domain} names the IP address ${r.exchange}; an MX must be a host name, and no certificate or mx pattern can match it.`));
    } else if (verdict === 'invalid') {
      out.push(finding('error', 'MX_INVALID', `The MX record of ${domain} names ${JSON.stringify(r.exchange)}, which is not a valid host name.`));
    }
  }
  return out;
}

function failure(p: MxProbeDetail, detail: string, what: string): Finding {
  return finding('error', 'MX_TLS_FAILED', `The MX ${p.host} ${what}; senders enforcing MTA-STS will not deliver to it.`, 'ROLL-7', detail);
}

export function checkProbe(p: MxProbeDetail, now: Date): Finding[] {
  switch (p.errorCode) {
    case 'NOT_PROBED':
      return [];
    case 'ADDRESS_NOT_PUBLIC':
      return [finding('error', 'ADDRESS_NOT_PUBLIC', `The MX ${p.host} resolves only to non-public addresses; senders on the internet cannot reach it, and the checker did not connect.`)];
    case 'HOST_NOT_FOUND':
    case 'CONNECT_FAILED':
    case 'TIMEOUT':
    case 'TEMPORARY_REPLY':
    case 'REJECTED':
      return [
        finding(
          'warn',
          'MX_PROBE_INCONCLUSIVE',
          `The probe of the MX ${p.host} could not finish (${p.error ?? p.errorCode}); its STARTTLS and certificate are unverified. Port 25 may be blocked from here.`,
          'ROLL-7',
          `MX_${p.errorCode}`,
        ),
      ];
    case 'NO_STARTTLS':
      return [failure(p, 'MX_NO_STARTTLS', `offers no STARTTLS (${p.error ?? ''})`)];
    case 'TLS_FAILED':
      return [failure(p, 'MX_TLS_HANDSHAKE', `accepted STARTTLS but the TLS 1.2+ handshake failed (${p.error ?? ''})`)];
    case 'CERT_INVALID': {
      const cert = p.cert;
      if (cert !== null && !cert.chainValid) {
        const expired = cert.chainError === 'certificate has expired';
        return [
          failure(
            p,
            expired ? 'MX_CERT_EXPIRED' : 'MX_CERT_UNTRUSTED',
            expired ? `presents a certificate that expired on ${cert.notAfter?.slice(0, 10) ?? '?'}` : `presents a certificate that is not trusted (${cert.chainError ?? 'unknown reason'})`,
          ),
        ];
      }
      return [failure(p, 'MX_CERT_NAME', `presents a certificate for ${cert?.names.join(', ') || '(no DNS name)'}, not for ${p.host}`)];
    }
    case null: {
      const expiring = expiryFinding(`the MX ${p.host}`, p.cert?.notAfter ?? null, now, 'ROLL-7');
      return expiring ? [expiring] : [];
    }
  }
}
