export const ALERT_KINDS = [
  'verdict-change',
  'new-failure-class',
  'failure-rate-jump',
  'policy-fetch-error',
  'cert-expiring',
  'no-reports',
] as const;

export type AlertKind = (typeof ALERT_KINDS)[number];

/** One thing an operator should hear about. `domain` + `kind` + `subject` identify it for suppression. */
export interface AlertCandidate {
  domain: string;
  kind: AlertKind;
  /** What within the domain the alert is about (a verdict, a failure class, a host, a day). */
  subject: string;
  /** One sentence saying what happened. */
  message: string;
  evidence: Record<string, string | number>;
  /** Dashboard page of the domain. */
  link: string;
}

export interface FailureClass {
  resultType: string;
  receivingMx: string;
  sessions: number;
}

export interface DayTotals {
  day: string;
  successful: number;
  failed: number;
}

export interface CertificateSeen {
  /** `mta-sts.<domain>` or an MX host name. */
  host: string;
  notAfter: string | null;
}

/** Everything known about one domain at one moment, read from storage by the caller. */
export interface DomainSnapshot {
  domain: string;
  now: Date;
  /** Verdict of the advice stored before the latest one, and of the latest one (null: none stored). */
  previousVerdict: string | null;
  currentVerdict: string | null;
  /** Failure classes reported for days after `sinceDay` (the window being evaluated). */
  recentFailures: FailureClass[];
  /** `resultType|receivingMx` keys and bare result types / MX names seen before that window. */
  knownResultTypes: string[];
  knownReceivingMx: string[];
  /** Policy totals for the two latest complete report days, older first (fewer when not reported). */
  lastTwoDays: DayTotals[];
  certificates: CertificateSeen[];
  /** Latest time a report for the domain was received, null: never. */
  lastReportAt: Date | null;
  /** When the domain was registered: a new domain is not "silent" before it had the chance to get reports. */
  watchedSince: Date;
}

export interface AlertRules {
  baseUrl: string;
  noReportDays: number;
}
