import { isMxCovered } from './sts-records.js';
import type { Blocker, MxProbe } from './rollout.types.js';

export interface MxAssessment {
  /** DNS MX host names, lower-cased, without a trailing dot; empty when MX_INVALID holds. */
  hosts: string[];
  /** Hosts whose probe found STARTTLS and a valid certificate for that name. */
  clean: Set<string>;
  uncovered: string[];
  mxInvalid: boolean;
  blockers: Blocker[];
}

type ProbeResult = { kind: 'clean' } | { kind: 'failed'; why: string } | { kind: 'inconclusive'; why: string };

export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':') || host.startsWith('[');
}

/** Certificate DNS-ID matching: a wildcard stands for exactly one whole left-most label. */
export function certNameMatches(name: string, host: string): boolean {
  const pattern = normalizeHost(name);
  if (!pattern.startsWith('*.')) return pattern === host;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === pattern.slice(2);
}

export function classifyProbe(host: string, probe: MxProbe | undefined): ProbeResult {
  if (probe === undefined) return { kind: 'inconclusive', why: 'it has not been probed' };
  const error = probe.error ? ` (${probe.error})` : '';
  if (probe.starttls === null) return { kind: 'inconclusive', why: `the probe could not finish${error}` };
  if (!probe.starttls) return { kind: 'failed', why: `it offers no STARTTLS${error}` };
  if (probe.certValid === false) return { kind: 'failed', why: `its certificate is not valid${error}` };
  if (probe.certValid === null) return { kind: 'inconclusive', why: `its certificate could not be verified${error}` };
  if (probe.certNames.length > 0 && !probe.certNames.some((name) => certNameMatches(name, host))) {
    return { kind: 'failed', why: `its certificate names ${probe.certNames.join(', ')}, not ${host}` };
  }
  return { kind: 'clean' };
}

function checkMxSet(domain: string, dnsMx: string[]): Blocker | null {
  const normalized = dnsMx.map(normalizeHost);
  let problem: string | null = null;
  if (normalized.length === 0) problem = `DNS has no MX record for ${domain}`;
  else if (normalized.includes('')) problem = `${domain} publishes a null MX (0 .), so it receives no mail`;
  else {
    const ips = normalized.filter(isIpAddress);
    if (ips.length > 0) problem = `the MX record of ${domain} names the IP address ${ips.join(', ')} instead of a host name`;
  }
  if (problem === null) return null;
  return {
    code: 'MX_INVALID',
    message: `${problem}; no valid MTA-STS policy can be proposed.`,
    evidence: { domain, mx: dnsMx },
  };
}

/**
 * MX_INVALID, MX_NOT_COVERED (only when a live policy gives `patterns`), MX_TLS_FAILED and
 * MX_PROBE_INCONCLUSIVE. Every DNS MX is probed directly: TLS-RPT never shows a broken backup MX
 * while the primary works (ROLL-7).
 */
export function checkMx(domain: string, dnsMx: string[], probes: MxProbe[], patterns: string[] | null): MxAssessment {
  const invalid = checkMxSet(domain, dnsMx);
  if (invalid !== null) return { hosts: [], clean: new Set(), uncovered: [], mxInvalid: true, blockers: [invalid] };

  const hosts = [...new Set(dnsMx.map(normalizeHost))];
  const blockers: Blocker[] = [];
  const uncovered = patterns === null ? [] : hosts.filter((host) => !isMxCovered(host, patterns));
  for (const host of uncovered) {
    blockers.push({
      code: 'MX_NOT_COVERED',
      message: `DNS MX ${host} matches no mx: pattern of the live policy (${(patterns ?? []).join(', ')}); enforcing senders would refuse to deliver to it.`,
      evidence: { host, patterns: patterns ?? [] },
    });
  }

  const clean = new Set<string>();
  for (const host of hosts) {
    const probe = probes.find((p) => normalizeHost(p.host) === host);
    const result = classifyProbe(host, probe);
    const evidence = {
      host,
      starttls: probe?.starttls ?? null,
      certValid: probe?.certValid ?? null,
      certNames: probe?.certNames ?? [],
      error: probe?.error ?? null,
    };
    if (result.kind === 'clean') clean.add(host);
    else if (result.kind === 'failed') {
      blockers.push({ code: 'MX_TLS_FAILED', message: `The TLS probe of MX ${host} failed: ${result.why}.`, evidence });
    } else {
      blockers.push({
        code: 'MX_PROBE_INCONCLUSIVE',
        message: `MX ${host} is not verified: ${result.why}; it must probe clean before enforce.`,
        evidence,
      });
    }
  }
  return { hosts, clean, uncovered, mxInvalid: false, blockers };
}
