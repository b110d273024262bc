// The one place this library calls @app/mta-sts: record parsing, matching and serializing.
import {
  mxCovered,
  newPolicyId,
  parsePolicy,
  parsePolicyLines,
  policiesEqual,
  selectStsTxt,
  selectTlsRptTxt,
  serializePolicy,
  serializeStsTxt,
  serializeTlsRptTxt,
  type Finding,
  type StsPolicy,
} from '@app/mta-sts';

export type { StsPolicy };

export interface RecordRead<T> {
  value: T | null;
  /** Messages of the error findings that made the value unusable. */
  errors: string[];
}

function read<T>(parsed: { value: T | null; findings: Finding[] }): RecordRead<T> {
  const errors = parsed.findings.filter((f) => f.severity === 'error').map((f) => f.message);
  return { value: parsed.value, errors };
}

/** STS-TXT-7: the single valid `v=STSv1` record among the TXT strings, by its id. */
export function readStsTxtId(txts: string[]): RecordRead<string> {
  const parsed = read(selectStsTxt(txts));
  return { value: parsed.value?.id ?? null, errors: parsed.errors };
}

export function readPolicyBody(body: string): RecordRead<StsPolicy> {
  return read(parsePolicy(body));
}

/** Lenient read of a report's `policy-string` (RPT-DEV-15). */
export function readReportedPolicy(lines: string[]): StsPolicy | null {
  return parsePolicyLines(lines).value;
}

export function readTlsRptRua(txts: string[]): RecordRead<string[]> {
  const parsed = read(selectTlsRptTxt(txts));
  return { value: parsed.value?.rua ?? null, errors: parsed.errors };
}

export const samePolicy = (a: StsPolicy, b: StsPolicy): boolean => policiesEqual(a, b);

/** STS-POL-13: case-insensitive; a wildcard covers exactly one left-most label. */
export const isMxCovered = (host: string, patterns: string[]): boolean => mxCovered(patterns, host);

export function policyBody(policy: StsPolicy): string {
  return serializePolicy(policy);
}

export function stsTxt(id: string): string {
  return serializeStsTxt(id);
}

export function tlsRptTxt(rua: string): string {
  return serializeTlsRptTxt([rua]);
}

export function freshPolicyId(now: Date, usedIds: Iterable<string>): string {
  return newPolicyId(now, usedIds);
}
