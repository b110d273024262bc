import type { Finding } from '@app/mta-sts';
import type { Advice, Observed } from '@app/rollout';

export interface WatchedDomain {
  id: number;
  domain: string;
  createdAt: Date;
}

export interface CheckSummary {
  errors: number;
  warnings: number;
  infos: number;
  /** The live `_mta-sts` id, or null. */
  policyId: string | null;
  mode: string | null;
}

export interface StoredCheck {
  id: number;
  checkedAt: Date;
  summary: CheckSummary;
  findings: Finding[];
  observed: Observed;
  details: unknown;
}

export interface PublishedRow {
  id: number;
  txt: string;
  policyId: string;
  bodyHash: string;
  body: string;
  mode: string | null;
  maxAge: number | null;
  firstSeen: Date;
  lastSeen: Date;
}

export type TransitionStatus = 'pending' | 'completed' | 'expired' | 'superseded';

export interface TransitionRow {
  id: number;
  status: TransitionStatus;
  verdict: string;
  policyId: string;
  body: string;
  txt: string;
  tlsrptTxt: string | null;
  mode: string;
  maxAge: number;
  createdAt: Date;
  deadline: Date;
  completedAt: Date | null;
}

/** A transition as accepted, before the store gives it an id and status. */
export type NewTransition = Omit<TransitionRow, 'id' | 'status' | 'completedAt'>;

export interface AdviceRow {
  id: number;
  computedAt: Date;
  trigger: string;
  checkId: number | null;
  advice: Advice;
}

export interface FetchRow {
  id: number;
  fetchedAt: Date;
  clientIp: string | null;
  userAgent: string | null;
  host: string;
  policyId: string | null;
}

export interface StoredReportText {
  id: number;
  text: string;
  authenticated: boolean;
}

/** What the policy host serves for a domain, and why. */
export interface ServedPolicy {
  domainId: number;
  body: string;
  policyId: string;
  source: 'transition' | 'published';
}

export interface Page<T> {
  items: T[];
  nextCursor: number | null;
}
