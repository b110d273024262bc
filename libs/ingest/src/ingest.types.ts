import type { DkimRecord } from '@app/store';

export interface IngestLimits {
  maxMessageBytes: number;
  maxDecompressedBytes: number;
  maxJsonDepth: number;
  maxPolicies: number;
  maxFailureDetails: number;
  maxMimeParts: number;
}

export type DnsTxtResolver = (name: string, rrtype: string) => Promise<unknown>;

export interface IngestContext {
  /** `smtp`, `https`, `import` or `imap:<name>`. */
  source: string;
  receivedAt: Date;
  envelope: Record<string, unknown>;
  /** `verify` checks DKIM now (mail received live); otherwise the verdict of the original receipt is kept. */
  dkim: 'verify' | DkimRecord;
}

export interface IngestCounts {
  stored: number;
  duplicates: number;
  quarantined: number;
  /** 1 when the same bytes had been quarantined before and nothing was written again. */
  alreadyQuarantined: number;
}

export type IngestOutcome =
  | {
      kind: 'accepted';
      counts: IngestCounts;
      rawMessageId: number | null;
      reportIds: string[];
      /** Lower-cased policy domains of the reports stored by this message (duplicates excluded). */
      storedPolicyDomains: string[];
      quarantineReasons: string[];
      /** One line for the SMTP reply / CLI summary. */
      summary: string;
    }
  | { kind: 'no-report'; reason: string };

export const NOT_VERIFIED_AT_RECEIPT: DkimRecord = {
  result: 'not-verified',
  aligned: false,
  domain: null,
  reason: 'not verified at receipt',
  checkedAt: null,
};
