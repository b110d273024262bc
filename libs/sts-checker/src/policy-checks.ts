// Served policy against the TXT id history and the live MX set (CHK-1, CHK-3..6, CHK-11, ROLL-4).
import { mxCovered, mxMatches, parsePolicy, policiesEqual, type Finding, type StsPolicy, type StsTxtRecord } from '@app/mta-sts';
import type { PreviousPolicy } from './checker.types.js';
import { finding } from './finding.js';

/** ROLL-4 advisory floors (not RFC rules). */
export const TESTING_MAX_AGE_FLOOR = 86_400;
export const ENFORCE_MAX_AGE_FLOOR = 1_209_600;

export function checkPolicyBody(body: string): { policy: StsPolicy | null; findings: Finding[] } {
  const parsed = parsePolicy(body);
  const findings = [...parsed.findings];
  const p = parsed.value;
  if (p !== null && p.maxAge > 0) {
    const floor = p.mode === 'testing' ? TESTING_MAX_AGE_FLOOR : p.mode === 'enforce' ? ENFORCE_MAX_AGE_FLOOR : 0;
    if (p.maxAge < floor) {
      findings.push(
        finding(
          'warn',
          'MAX_AGE_SHORT',
          `The max_age ${p.maxAge} is below ${floor} seconds advised for mode "${p.mode}"; legal, but senders refetch often and a lapse leaves mail unprotected.`,
          'ROLL-4',
        ),
      );
    }
  }
  return { policy: p, findings };
}

/** CHK-1 / STS-FET-2: the live id is the one the previous body was fetched under, but the body changed. */
export function checkIdBump(txt: StsTxtRecord | null, policy: StsPolicy | null, body: string, previous: PreviousPolicy | undefined): Finding[] {
  if (!previous || txt === null || txt.id !== previous.id) return [];
  const before = parsePolicy(previous.policyBody).value;
  const changed = before !== null && policy !== null ? !policiesEqual(before, policy) : previous.policyBody !== body;
  if (!changed) return [];
  return [
    finding(
      'error',
      'POLICY_ID_NOT_BUMPED',
      `The policy body changed but the TXT id is still ${JSON.stringify(txt.id)}; senders that cached the old policy will not refetch until it expires. Publish a new id.`,
      'STS-FET-2',
    ),
  ];
}

/** `*.a.b` would cover `x.y.a.b` only if wildcards spanned several labels, which they never do (STS-POL-13). */
function tooDeepWildcard(patterns: string[], host: string): string | null {
  const h = host.toLowerCase();
  return patterns.find((p) => p.startsWith('*.') && h.endsWith(p.slice(1).toLowerCase()) && !mxMatches(p, h)) ?? null;
}

export function checkMxCoverage(domain: string, policy: StsPolicy, liveMx: string[]): Finding[] {
  if (policy.mode === 'none') return [];
  const out: Finding[] = [];
  const severity = policy.mode === 'enforce' ? 'error' : 'warn';
  for (const host of liveMx) {
    if (mxCovered(policy.mx, host)) continue;
    const deep = tooDeepWildcard(policy.mx, host);
    const why = deep
      ? `; the wildcard ${JSON.stringify(deep)} covers exactly one left-most label, not "${host.slice(0, host.length - deep.length + 1)}"`
      : '';
    const effect = policy.mode === 'enforce' ? 'senders enforcing the policy will not deliver to it' : 'senders report failures for it';
    out.push(
      finding(
        severity,
        'MX_NOT_COVERED',
        `The MX host ${host} matches no mx pattern of the policy (${policy.mx.join(', ')})${why}; ${effect}.`,
        deep ? 'STS-POL-13' : 'ROLL-7',
        deep ? 'MX_WILDCARD_TOO_DEEP' : undefined,
      ),
    );
  }
  if (liveMx.length > 0) {
    for (const pattern of policy.mx) {
      if (liveMx.some((host) => mxMatches(pattern, host))) continue;
      out.push(finding('warn', 'MX_PATTERN_STALE', `The mx pattern ${JSON.stringify(pattern)} matches none of the MX hosts in DNS (${liveMx.join(', ')}); remove it once no MX needs it.`, 'ROLL-7'));
    }
  }
  const zone = domain.toLowerCase();
  for (const pattern of policy.mx) {
    const base = pattern.toLowerCase().slice(2);
    if (pattern.startsWith('*.') && (base === zone || base.endsWith(`.${zone}`))) {
      out.push(
        finding(
          'warn',
          'MX_WILDCARD_OWN_ZONE',
          `The mx pattern ${JSON.stringify(pattern)} is a wildcard under ${zone}: any host there with a valid certificate passes as an MX. List the MX hosts by name.`,
        ),
      );
    }
  }
  return out;
}
