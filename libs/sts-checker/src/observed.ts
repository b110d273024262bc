// Maps the detailed I/O record onto the scenario `observed` shape (../shared/scenarios/FORMAT.md).
import { certAcceptable } from './cert-info.js';
import type { CheckDetails, MxProbeDetail, Observed, ObservedMxProbe, ObservedPolicyFetch, ProbeErrorCode } from './checker.types.js';

/** Probe outcomes that say nothing about the MX's TLS: the probe could not finish. */
export const INCONCLUSIVE_PROBE_CODES: readonly ProbeErrorCode[] = [
  'NOT_PROBED',
  'ADDRESS_NOT_PUBLIC',
  'HOST_NOT_FOUND',
  'CONNECT_FAILED',
  'TIMEOUT',
  'TEMPORARY_REPLY',
  'REJECTED',
];

export function observedProbe(p: MxProbeDetail): ObservedMxProbe {
  const inconclusive = p.errorCode !== null && INCONCLUSIVE_PROBE_CODES.includes(p.errorCode);
  const starttls = inconclusive ? null : p.errorCode !== 'NO_STARTTLS';
  let certValid: boolean | null = null;
  if (starttls === true) certValid = p.errorCode === null ? certAcceptable(p.cert) : false;
  return { host: p.host, starttls, certValid, certNames: p.cert?.names ?? [], error: p.error };
}

export function observedFetch(d: CheckDetails['policyFetch']): ObservedPolicyFetch {
  return {
    status: d.status,
    contentType: d.contentType,
    redirected: d.status !== null && d.status >= 300 && d.status < 400,
    certValid: d.cert === null ? null : certAcceptable(d.cert),
    body: d.body,
  };
}

export function toObserved(d: CheckDetails): Observed {
  return {
    // A null MX ("0 .") comes back from the resolver as an empty exchange.
    mx: d.mx.records.map((r) => (r.exchange === '' ? '.' : r.exchange.replace(/\.$/, ''))),
    mtaStsTxt: d.mtaStsTxt.records,
    tlsrptTxt: d.tlsrptTxt.records,
    policyFetch: observedFetch(d.policyFetch),
    mxProbes: d.mxProbes.map(observedProbe),
  };
}
