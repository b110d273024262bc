// Shared vocabulary of the MTA-STS / TLS-RPT record model (spec notes §1, §2, §4).

export type Severity = 'error' | 'warn' | 'info';

export interface Finding {
  /** Stable code. Shared with the rollout engine's blocker codes where one applies (TXT_INVALID, POLICY_INVALID, ...). */
  code: string;
  severity: Severity;
  /** A sentence a person understands, naming the record, host or value involved. */
  message: string;
  /** Spec-notes rule id, e.g. `STS-TXT-4`. */
  rule?: string;
  /**
   * Specific stable code when `code` is a shared vocabulary code, e.g. code `POLICY_INVALID`
   * with detail `POLICY_BOM`. Lets consumers match on `code` and still tell problems apart.
   */
  detail?: string;
}

/** `value` is null when any error-severity finding makes the input unusable. */
export interface Parsed<T> {
  value: T | null;
  findings: Finding[];
}

export type StsMode = 'testing' | 'enforce' | 'none';

export interface StsTxtRecord {
  version: 'STSv1';
  id: string;
  extensions: Record<string, string>;
}

export interface StsPolicy {
  version: 'STSv1';
  mode: StsMode;
  mx: string[];
  maxAge: number;
  extensions: Record<string, string>;
}

export interface TlsRptRecord {
  version: 'TLSRPTv1';
  rua: string[];
  extensions: Record<string, string>;
}
