// Live MTA-STS deployment check of one policy domain: DNS, policy fetch and MX probes in parallel.
import { domainToASCII } from 'node:url';
import { mayContact } from './address-guard.js';
import type { AddressLookup, CheckDetails, CheckerOptions, CheckResult, MxProbeDetail, PolicyFetchDetail } from './checker.types.js';
import { crossCheck } from './cross-checks.js';
import { finding } from './finding.js';
import { createDnsLookup, DEFAULT_DNS_TIMEOUT_MS, type DnsLookup } from './dns-lookup.js';
import { canonicalHost, hostNameProblem } from './host-name.js';
import { mxHostVerdict } from './mx-checks.js';
import { DEFAULT_EHLO_NAME, DEFAULT_SMTP_TIMEOUT_MS, probeMx } from './mx-prober.js';
import { toObserved } from './observed.js';
import { parentOnlyRecordFinding } from './parent-record.js';
import { DEFAULT_HTTPS_TIMEOUT_MS, fetchPolicy, unfetchedPolicy } from './policy-fetcher.js';

interface Settings {
  dnsTimeoutMs: number;
  httpsPort: number;
  smtpPort: number;
  httpsTimeoutMs: number;
  smtpTimeoutMs: number;
  allowPrivate: boolean;
  caCerts?: string[];
  ehloName: string;
}

function contactable(lookup: AddressLookup, allowPrivate: boolean): { addresses: string[]; skipped: string[] } {
  const all = lookup.addresses.map((a) => a.address);
  return { addresses: all.filter((a) => mayContact(a, allowPrivate)), skipped: all.filter((a) => !mayContact(a, allowPrivate)) };
}

async function policyFetch(dns: DnsLookup, policyHost: string, s: Settings): Promise<{ host: AddressLookup; fetch: PolicyFetchDetail }> {
  const host = await dns.addresses(policyHost);
  const { addresses, skipped } = contactable(host, s.allowPrivate);
  if (addresses.length === 0) {
    const notPublic = host.addresses.length > 0;
    const fetch = notPublic
      ? unfetchedPolicy(policyHost, 'ADDRESS_NOT_PUBLIC', `not contacted: ${host.addresses.map((a) => a.address).join(', ')} is not a public address`, { skippedAddresses: skipped })
      : unfetchedPolicy(policyHost, 'HOST_NOT_FOUND', `no address (${host.error ?? 'ENODATA'})`, { skippedAddresses: skipped });
    return { host, fetch };
  }
  const fetch = await fetchPolicy({ policyHost, addresses, port: s.httpsPort, caCerts: s.caCerts, timeoutMs: s.httpsTimeoutMs });
  return { host, fetch: { ...fetch, skippedAddresses: skipped } };
}

function unprobed(host: string, priority: number, errorCode: MxProbeDetail['errorCode'], error: string, skipped: string[] = []): MxProbeDetail {
  return { host, priority, address: null, skippedAddresses: skipped, banner: null, starttlsOffered: null, tlsVersion: null, cert: null, errorCode, error, elapsedMs: 0 };
}

async function probeOne(dns: DnsLookup, host: string, priority: number, s: Settings): Promise<MxProbeDetail> {
  const lookup = await dns.addresses(host);
  const { addresses, skipped } = contactable(lookup, s.allowPrivate);
  if (addresses.length === 0) {
    if (skipped.length > 0) return unprobed(host, priority, 'ADDRESS_NOT_PUBLIC', `not contacted: ${skipped.join(', ')} is not a public address`, skipped);
    return unprobed(host, priority, 'HOST_NOT_FOUND', `the MX host has no address (${lookup.error ?? 'ENODATA'})`);
  }
  const probe = await probeMx({ host, priority, addresses, port: s.smtpPort, caCerts: s.caCerts, timeoutMs: s.smtpTimeoutMs, ehloName: s.ehloName });
  return { ...probe, skippedAddresses: skipped };
}

async function probeAll(dns: DnsLookup, domain: string, s: Settings): Promise<Pick<CheckDetails, 'mx' | 'mxProbes'>> {
  const mx = await dns.mx(domain);
  const seen = new Set<string>();
  const probes = mx.records.flatMap((r) => {
    const host = canonicalHost(r.exchange);
    if (mxHostVerdict(r.exchange) !== 'ok' || seen.has(host)) return [];
    seen.add(host);
    return [probeOne(dns, host, r.priority, s)];
  });
  return { mx, mxProbes: await Promise.all(probes) };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  // A 0 or NaN limit must never silently turn the limit off.
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function settings(opts: CheckerOptions): Settings {
  return {
    dnsTimeoutMs: positive(opts.dnsTimeoutMs, DEFAULT_DNS_TIMEOUT_MS, 'dnsTimeoutMs'),
    httpsPort: positive(opts.httpsPort, 443, 'httpsPort'),
    smtpPort: positive(opts.smtpPort, 25, 'smtpPort'),
    httpsTimeoutMs: positive(opts.httpsTimeoutMs, DEFAULT_HTTPS_TIMEOUT_MS, 'httpsTimeoutMs'),
    smtpTimeoutMs: positive(opts.smtpTimeoutMs, DEFAULT_SMTP_TIMEOUT_MS, 'smtpTimeoutMs'),
    allowPrivate: opts.allowPrivateAddresses === true,
    caCerts: opts.caCerts,
    ehloName: opts.ehloName ?? DEFAULT_EHLO_NAME,
  };
}

function emptyDetails(domain: string): CheckDetails {
  const txt = (name: string) => ({ name, records: [], ttl: null, error: 'NOT_QUERIED', elapsedMs: 0 });
  return {
    mtaStsTxt: txt(`_mta-sts.${domain}`),
    tlsrptTxt: txt(`_smtp._tls.${domain}`),
    mx: { records: [], error: 'NOT_QUERIED', elapsedMs: 0 },
    policyHost: { name: `mta-sts.${domain}`, addresses: [], error: 'NOT_QUERIED', elapsedMs: 0 },
    policyFetch: unfetchedPolicy(`mta-sts.${domain}`, 'HOST_NOT_FOUND', 'not checked'),
    mxProbes: [],
  };
}

/** IDN domains are looked up in A-label form; a name that cannot be converted stays as typed and fails validation. */
function toAscii(name: string): string {
  if (!/[^\x00-\x7F]/.test(name)) return name;
  return domainToASCII(name) || name;
}

/**
 * Checks the live deployment of `domain`. Never throws for bad input or network trouble: everything
 * is reported as findings. Throws only for invalid options (a programming error).
 */
export async function checkDomain(domain: string, opts: CheckerOptions = {}): Promise<CheckResult> {
  const s = settings(opts);
  const now = opts.now ?? (() => new Date());
  const checkedAt = now();
  const started = performance.now();
  const name = canonicalHost(toAscii(domain.trim()));
  const problem = hostNameProblem(name);
  if (problem !== null) {
    const details = emptyDetails(name);
    return {
      domain: name,
      checkedAt: checkedAt.toISOString(),
      elapsedMs: 0,
      observed: toObserved(details),
      findings: [finding('error', 'DOMAIN_INVALID', `${JSON.stringify(domain)} is not a valid domain name (${problem}); nothing was looked up.`)],
      details,
    };
  }
  const dns = createDnsLookup(opts.dnsServers, s.dnsTimeoutMs);
  const [mtaStsTxt, tlsrptTxt, policy, mx] = await Promise.all([
    dns.txt(`_mta-sts.${name}`),
    dns.txt(`_smtp._tls.${name}`),
    policyFetch(dns, `mta-sts.${name}`, s),
    probeAll(dns, name, s),
  ]);
  const details: CheckDetails = { mtaStsTxt, tlsrptTxt, mx: mx.mx, policyHost: policy.host, policyFetch: policy.fetch, mxProbes: mx.mxProbes };
  const parentOnly = await parentOnlyRecordFinding(dns, name, mtaStsTxt.records, toObserved(details).mx);
  return {
    domain: name,
    checkedAt: checkedAt.toISOString(),
    elapsedMs: Math.round(performance.now() - started),
    observed: toObserved(details),
    findings: [...crossCheck(name, details, opts.previous, now()), ...(parentOnly ? [parentOnly] : [])],
    details,
  };
}
