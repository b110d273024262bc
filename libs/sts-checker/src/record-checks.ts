// `_mta-sts` and `_smtp._tls` TXT records (STS-TXT-*, RPT-TXT-*, CHK-10, CHK-16): parsing is @app/mta-sts's.
import { selectStsTxt, selectTlsRptTxt, type Finding, type StsTxtRecord } from '@app/mta-sts';
import type { TxtLookup } from './checker.types.js';
import { isNoDataError } from './dns-lookup.js';
import { finding } from './finding.js';

function lookupFailed(lookup: TxtLookup): Finding | null {
  if (lookup.error === null || isNoDataError(lookup.error)) return null;
  return finding('error', 'DNS_LOOKUP_FAILED', `The TXT lookup of ${lookup.name} failed (${lookup.error}); the record could not be checked.`);
}

export function checkStsTxt(lookup: TxtLookup): { record: StsTxtRecord | null; findings: Finding[] } {
  const failed = lookupFailed(lookup);
  if (failed) return { record: null, findings: [failed] };
  const selected = selectStsTxt(lookup.records);
  return { record: selected.value, findings: selected.findings };
}

export function checkTlsRptTxt(lookup: TxtLookup): Finding[] {
  const failed = lookupFailed(lookup);
  if (failed) return [failed];
  // RPT-TXT-5: the parser notes several report URIs as info; for a deployment check it is worth a warning,
  // because some reporters deliver to only one of them.
  return selectTlsRptTxt(lookup.records).findings.map((f) => (f.code === 'TLSRPT_SEVERAL_URIS' ? { ...f, severity: 'warn' as const } : f));
}
