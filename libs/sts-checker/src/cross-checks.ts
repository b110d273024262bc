// All findings of a check, computed from the recorded observations only (no I/O here).
import type { Finding } from '@app/mta-sts';
import type { CheckDetails, PreviousPolicy } from './checker.types.js';
import { finding } from './finding.js';
import { checkPolicyFetch, fetchUsable } from './fetch-checks.js';
import { checkMxSet, checkProbe, mxHostVerdict } from './mx-checks.js';
import { checkIdBump, checkMxCoverage, checkPolicyBody } from './policy-checks.js';
import { checkStsTxt, checkTlsRptTxt } from './record-checks.js';

/** A host with public and non-public addresses: the public ones were used, the others are named. */
function partlyPrivate(host: string, errorCode: string | null, skipped: string[]): Finding[] {
  if (skipped.length === 0 || errorCode === 'ADDRESS_NOT_PUBLIC') return [];
  return [
    finding(
      'warn',
      'ADDRESS_NOT_PUBLIC',
      `${host} also resolves to non-public addresses (${skipped.join(', ')}); senders trying those fail. They were not contacted.`,
    ),
  ];
}

const SEVERITY_ORDER = { error: 0, warn: 1, info: 2 } as const;

export function crossCheck(domain: string, d: CheckDetails, previous: PreviousPolicy | undefined, now: Date): Finding[] {
  const txt = checkStsTxt(d.mtaStsTxt);
  const findings: Finding[] = [...txt.findings, ...checkTlsRptTxt(d.tlsrptTxt), ...checkPolicyFetch(d.policyHost, d.policyFetch, now)];

  const liveMx = d.mx.records.map((r) => r.exchange.replace(/\.$/, '').toLowerCase()).filter((h) => mxHostVerdict(h) === 'ok');
  findings.push(...checkMxSet(domain, d.mx));

  const body = d.policyFetch.body;
  if (fetchUsable(d.policyFetch) && body !== null) {
    const checked = checkPolicyBody(body);
    findings.push(...checked.findings, ...checkIdBump(txt.record, checked.policy, body, previous));
    if (checked.policy !== null && d.mx.error === null) findings.push(...checkMxCoverage(domain, checked.policy, liveMx));
  }

  for (const probe of d.mxProbes) findings.push(...checkProbe(probe, now));
  findings.push(...partlyPrivate(d.policyHost.name, d.policyFetch.errorCode, d.policyFetch.skippedAddresses));
  for (const probe of d.mxProbes) findings.push(...partlyPrivate(probe.host, probe.errorCode, probe.skippedAddresses));
  // Stable order: errors first, then by discovery order.
  return findings.map((f, i) => ({ f, i })).sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i).map(({ f }) => f);
}
