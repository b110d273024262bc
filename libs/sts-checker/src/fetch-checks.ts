// Policy fetch findings (STS-POL-2..5, STS-POL-17, CHK-7, CHK-8, CHK-12, CHK-17).
import type { Finding } from '@app/mta-sts';
import type { AddressLookup, PolicyFetchDetail } from './checker.types.js';
import { isNoDataError } from './dns-lookup.js';
import { expiryFinding, finding } from './finding.js';

const CODE = 'POLICY_FETCH_FAILED';
const CHARSETS = ['utf-8', 'us-ascii'];

/** STS-POL-4: `text/plain`, parameters ignored except a charset, which must be utf-8 or us-ascii. */
export function isPlainText(contentType: string | null): boolean {
  if (contentType === null) return false;
  const [type = '', ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'text/plain') return false;
  return params.every((param) => {
    const [name = '', value = ''] = param.split('=');
    return name.trim().toLowerCase() !== 'charset' || CHARSETS.includes(value.trim().replace(/^"|"$/g, '').toLowerCase());
  });
}

/** True when the fetch produced a body a sender would parse: 200, text/plain, valid cert, complete. */
export function fetchUsable(d: PolicyFetchDetail): boolean {
  return d.errorCode === null && d.status === 200 && isPlainText(d.contentType) && d.cert !== null && d.cert.chainValid && d.cert.nameMatches;
}

function hostFindings(host: AddressLookup, d: PolicyFetchDetail): Finding[] {
  if (d.errorCode === 'ADDRESS_NOT_PUBLIC') {
    const list = host.addresses.map((a) => a.address).join(', ');
    return [finding('error', 'ADDRESS_NOT_PUBLIC', `${host.name} resolves only to non-public addresses (${list}); senders cannot fetch the policy there, and the checker did not connect.`, 'STS-POL-1')];
  }
  const why = host.error === null || isNoDataError(host.error) ? 'has no A or AAAA record' : `could not be resolved (${host.error})`;
  return [finding('error', CODE, `The policy host ${host.name} ${why}, so no sender can fetch ${d.url}.`, 'STS-POL-1', 'POLICY_HOST_NOT_FOUND')];
}

function certFindings(d: PolicyFetchDetail, host: string, now: Date): Finding[] {
  const cert = d.cert;
  if (cert === null) return [];
  const out: Finding[] = [];
  if (!cert.chainValid) {
    const expired = cert.chainError === 'certificate has expired';
    out.push(
      finding(
        'error',
        CODE,
        expired
          ? `The certificate of ${host} expired on ${cert.notAfter?.slice(0, 10) ?? '?'}; senders refuse the policy.`
          : `The certificate of ${host} is not trusted (${cert.chainError ?? 'unknown reason'}); it must chain to a public root.`,
        'STS-POL-5',
        expired ? 'POLICY_CERT_EXPIRED' : 'POLICY_CERT_UNTRUSTED',
      ),
    );
  }
  if (!cert.nameMatches) {
    out.push(
      finding(
        'error',
        CODE,
        `The certificate served for ${host} names ${cert.names.join(', ') || '(no DNS name)'}, not ${host}; under delegation the certificate must still name ${host}.`,
        'STS-POL-5',
        'POLICY_CERT_NAME',
      ),
    );
  }
  if (out.length === 0) {
    const expiring = expiryFinding(host, cert.notAfter, now, 'ROLL-7');
    if (expiring) out.push(expiring);
  }
  return out;
}

export function checkPolicyFetch(host: AddressLookup, d: PolicyFetchDetail, now: Date): Finding[] {
  if (d.errorCode === 'HOST_NOT_FOUND' || d.errorCode === 'ADDRESS_NOT_PUBLIC') return hostFindings(host, d);
  const out: Finding[] = [];
  const policyHost = host.name;
  if (d.errorCode === 'TIMEOUT') {
    out.push(finding('error', CODE, `Fetching ${d.url} did not finish: ${d.error}; senders give up after 60 s.`, 'STS-POL-17', 'POLICY_TIMEOUT'));
  } else if (d.errorCode === 'BODY_TOO_LARGE') {
    out.push(finding('error', CODE, `The policy at ${d.url} is larger than 64 KiB; senders stop reading it.`, 'STS-POL-17', 'POLICY_TOO_LARGE'));
  } else if (d.errorCode === 'CONNECT_FAILED') {
    out.push(finding('error', CODE, `Could not connect to ${policyHost} (${d.address ?? '?'}): ${d.error}.`, 'STS-POL-1', 'POLICY_CONNECT_FAILED'));
  } else if (d.errorCode !== null) {
    out.push(finding('error', CODE, `Fetching ${d.url} failed: ${d.error}.`, 'STS-POL-5', d.errorCode === 'TLS_FAILED' ? 'POLICY_TLS_FAILED' : 'POLICY_HTTP_ERROR'));
  }
  out.push(...certFindings(d, policyHost, now));
  if (d.status !== null && d.status >= 300 && d.status < 400) {
    const target = d.location ? ` to ${d.location}` : '';
    out.push(
      finding('error', CODE, `${d.url} answers HTTP ${d.status}, a redirect${target}; senders never follow redirects, so they get no policy.`, 'STS-POL-3', 'POLICY_REDIRECT'),
    );
  } else if (d.status !== null && d.status !== 200) {
    out.push(finding('error', CODE, `${d.url} answers HTTP ${d.status}; only 200 yields a policy.`, 'STS-POL-2', 'POLICY_HTTP_STATUS'));
  } else if (d.status === 200 && !isPlainText(d.contentType)) {
    out.push(
      finding(
        'error',
        CODE,
        `${d.url} is served as ${JSON.stringify(d.contentType ?? '(no Content-Type)')}, not text/plain; widely used senders reject it.`,
        'STS-POL-4',
        'POLICY_CONTENT_TYPE',
      ),
    );
  }
  return out;
}
