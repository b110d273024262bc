import type { TlsReport } from '@app/tlsrpt';

// Input and output of the rollout engine (shared/scenarios/FORMAT.md is the contract).

/** One observation of the live deployment: the TXT string and policy body first seen together at `at`. */
export interface PublishedEntry {
  at: Date;
  txt: string;
  policy: string;
}

export interface PolicyFetch {
  /** HTTP status, or null when no response arrived at all. */
  status: number | null;
  contentType: string | null;
  redirected: boolean;
  /** null when the TLS handshake did not get far enough to judge the certificate. */
  certValid: boolean | null;
  body: string | null;
}

export interface MxProbe {
  host: string;
  /** null: the probe could not finish (port 25 blocked, timeout). */
  starttls: boolean | null;
  certValid: boolean | null;
  certNames: string[];
  error: string | null;
}

export interface Observed {
  mx: string[];
  mtaStsTxt: string[];
  tlsrptTxt: string[];
  policyFetch: PolicyFetch;
  mxProbes: MxProbe[];
}

export interface RolloutInput {
  now: Date;
  domain: string;
  /** What checks have seen live, oldest first. Empty: nothing was seen before `now`. */
  published: PublishedEntry[];
  observed: Observed;
  /** Already parsed; reports for other policy domains are ignored. */
  reports: TlsReport[];
  /** rua target for a proposed TLS-RPT record; overrides the setting. */
  reportAddress?: string;
}

export type RolloutState = 'none' | 'testing' | 'enforce' | 'retiring';

export type Verdict =
  | 'start-testing'
  | 'fix-deployment'
  | 'keep-testing'
  | 'ready-to-enforce'
  | 'enforced-ok'
  | 'update-mx'
  | 'rollback'
  | 'retire-wait'
  | 'safe-to-remove';

export const BLOCKER_CODES = [
  'TXT_INVALID',
  'POLICY_FETCH_FAILED',
  'POLICY_INVALID',
  'POLICY_ID_NOT_BUMPED',
  'MX_NOT_COVERED',
  'MX_INVALID',
  'MX_TLS_FAILED',
  'MX_PROBE_INCONCLUSIVE',
  'TLSRPT_MISSING',
  'TESTING_TOO_SHORT',
  'NO_REPORTS',
  'POLICY_NOT_SEEN',
  'REPORTED_POLICY_FETCH_ERRORS',
  'REPORTED_TLS_FAILURES',
] as const;

export type BlockerCode = (typeof BLOCKER_CODES)[number];

/** Blockers that mean the deployment itself is broken (FORMAT.md "Choosing the verdict"). */
export const DEPLOYMENT_BLOCKERS: readonly BlockerCode[] = [
  'TXT_INVALID',
  'POLICY_FETCH_FAILED',
  'POLICY_INVALID',
  'POLICY_ID_NOT_BUMPED',
  'REPORTED_POLICY_FETCH_ERRORS',
  'TLSRPT_MISSING',
  'MX_INVALID',
];

/** JSON-safe evidence: counts, RFC 3339 dates, host names, organizations. */
export type EvidenceValue = string | number | boolean | null | EvidenceValue[] | { [key: string]: EvidenceValue };

export interface Blocker {
  code: BlockerCode;
  message: string;
  evidence: Record<string, EvidenceValue>;
}

export type ProposedMode = 'testing' | 'enforce' | 'none';

export interface Proposal {
  /** Complete policy file body (canonical form, CRLF). */
  policy: string;
  /** Complete `_mta-sts` TXT value. */
  txt: string;
  mode: ProposedMode;
  mx: string[];
  maxAge: number;
  id: string;
  /** `v=TLSRPTv1; rua=...` when no valid TLS-RPT record is live, else null. */
  tlsrptTxt: string | null;
}

export interface Advice {
  state: RolloutState;
  verdict: Verdict;
  blockers: Blocker[];
  proposed: Proposal | null;
  /** RFC 3339; only with `retire-wait` and `safe-to-remove`. */
  removeAfter?: string;
}
