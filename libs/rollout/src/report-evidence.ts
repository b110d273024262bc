import { isPolicyFetchResultType, reportDedupeKey, submitterDomainFromContact, type ReportPolicy, type TlsReport } from '@app/tlsrpt';
import { normalizeHost } from './mx-checks.js';
import type { RolloutSettings } from './rollout-settings.js';
import { DAY_MS, rfc3339 } from './rollout-time.js';
import type { Blocker, EvidenceValue } from './rollout.types.js';
import { isMxCovered, readReportedPolicy, samePolicy, type StsPolicy } from './sts-records.js';

export interface EvidenceScope {
  domain: string;
  now: Date;
  currentId: string | null;
  /** The live policy; current-policy reports must echo it. */
  policy: StsPolicy;
  firstSeen: Date;
  mode: 'testing' | 'enforce';
  settings: RolloutSettings;
}

/** One `sts` policy entry for this domain, in a report that ends after the current id was first seen. */
export interface ReportedEntry {
  organization: string;
  end: Date;
  policy: ReportPolicy;
  current: boolean;
  /** FORMAT.md: total failures minus the sessions of policy-fetch result types; unknown types count. */
  failed: number;
  sessions: number;
}

export interface ReportAssessment {
  blockers: Blocker[];
  /** Current-policy entries only: the evidence. */
  current: ReportedEntry[];
}

export function organizationOf(report: TlsReport): string {
  return report.organizationName ?? submitterDomainFromContact(report.contactInfo) ?? 'an unnamed reporter';
}

/** RPT-DEV-20: the same report can arrive by mail and by HTTPS, or be retried; count it once. */
export function dedupeReports(reports: TlsReport[]): TlsReport[] {
  const seen = new Set<string>();
  return reports.filter((report) => {
    const key = reportDedupeKey(report);
    const text = JSON.stringify([key.organization, key.reportId, key.start.getTime(), key.end.getTime()]);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}

export function formatRate(failed: number, sessions: number): string {
  const percent = sessions === 0 ? 0 : (failed / sessions) * 100;
  return `${Number(percent.toPrecision(3))} %`;
}

function fetchFailureSessions(policy: ReportPolicy): number {
  return policy.failureDetails.filter((d) => isPolicyFetchResultType(d.resultType)).reduce((sum, d) => sum + d.failedSessionCount, 0);
}

function collectEntries(reports: TlsReport[], scope: EvidenceScope): ReportedEntry[] {
  const entries: ReportedEntry[] = [];
  const parsedCache = new Map<string, StsPolicy | null>();
  for (const report of reports) {
    if (report.dateRange.end.getTime() <= scope.firstSeen.getTime()) continue;
    for (const policy of report.policies) {
      if (policy.policyType !== 'sts' || policy.policyDomain !== scope.domain) continue;
      const key = JSON.stringify(policy.policyString);
      if (!parsedCache.has(key)) parsedCache.set(key, policy.policyString.length > 0 ? readReportedPolicy(policy.policyString) : null);
      const echoed = parsedCache.get(key) ?? null;
      const failed = Math.max(0, policy.totalFailureSessionCount - fetchFailureSessions(policy));
      entries.push({
        organization: organizationOf(report),
        end: report.dateRange.end,
        policy,
        current: policy.countsTowardRates && echoed !== null && samePolicy(echoed, scope.policy),
        failed,
        sessions: policy.totalSuccessfulSessionCount + failed,
      });
    }
  }
  return entries;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * NO_REPORTS. FORMAT.md: no current-policy report since the current id was first seen; in enforce,
 * none in the last `enforceSilenceDays`. The same recency applies in testing (ROLL-6.5 heartbeat):
 * reports that stopped weeks ago say nothing about the MX set today, and a "ready" must not rest on them.
 */
function checkSilence(current: ReportedEntry[], scope: EvidenceScope): Blocker | null {
  const idText = scope.currentId === null ? 'the current policy' : `the current policy (id ${scope.currentId})`;
  const withSessions = current.filter((e) => e.sessions > 0);
  if (withSessions.length === 0) {
    return {
      code: 'NO_REPORTS',
      message: `No TLS-RPT report about ${idText} has arrived since it was first seen live on ${rfc3339(scope.firstSeen)}.`,
      evidence: { id: scope.currentId, since: rfc3339(scope.firstSeen), currentPolicyReports: current.length, lastReportEnd: null },
    };
  }
  const days = scope.settings.enforceSilenceDays;
  const windowStart = new Date(Math.max(scope.now.getTime() - days * DAY_MS, scope.firstSeen.getTime()));
  if (withSessions.some((e) => e.end.getTime() > windowStart.getTime())) return null;
  const last = new Date(Math.max(...withSessions.map((e) => e.end.getTime())));
  return {
    code: 'NO_REPORTS',
    message:
      `No TLS-RPT report about ${idText} in the last ${days} days (since ${rfc3339(windowStart)}); ` +
      `silence is not health (the last one ended ${rfc3339(last)}).`,
    evidence: { id: scope.currentId, since: rfc3339(windowStart), windowDays: days, lastReportEnd: rfc3339(last) },
  };
}

/** Each organization that reported this domain since the current id must echo it in its latest report (ROLL-6.2). */
function checkPolicySeen(entries: ReportedEntry[], scope: EvidenceScope): Blocker[] {
  const blockers: Blocker[] = [];
  for (const [organization, own] of groupBy(entries, (e) => e.organization)) {
    const latestEnd = Math.max(...own.map((e) => e.end.getTime()));
    const latest = own.filter((e) => e.end.getTime() === latestEnd);
    if (latest.some((e) => e.current)) continue;
    const echoed = latest[0].policy.policyString;
    blockers.push({
      code: 'POLICY_NOT_SEEN',
      message:
        `${organization}'s latest report (ending ${rfc3339(new Date(latestEnd))}) still ` +
        (echoed.length === 0 ? 'carries no policy-string' : `echoes another policy (${echoed.join('; ')})`) +
        `, not the live one${scope.currentId === null ? '' : ` under id ${scope.currentId}`}.`,
      evidence: { organization, latestReportEnd: rfc3339(new Date(latestEnd)), reportedPolicy: echoed },
    });
  }
  return blockers;
}

function checkFetchErrors(entries: ReportedEntry[], scope: EvidenceScope): Blocker | null {
  const hits = entries.flatMap((e) =>
    e.policy.failureDetails
      .filter((d) => isPolicyFetchResultType(d.resultType) && d.failedSessionCount > 0)
      .map((d) => ({ organization: e.organization, end: e.end, resultType: d.resultType, sessions: d.failedSessionCount })),
  );
  if (hits.length === 0) return null;
  const organizations = [...groupBy(hits, (h) => h.organization)].map(([organization, own]) => {
    const ends = own.map((h) => h.end.getTime());
    return {
      organization,
      sessions: own.reduce((sum, h) => sum + h.sessions, 0),
      resultTypes: [...new Set(own.map((h) => h.resultType))],
      firstReportEnd: rfc3339(new Date(Math.min(...ends))),
      lastReportEnd: rfc3339(new Date(Math.max(...ends))),
    };
  });
  const total = organizations.reduce((sum, o) => sum + o.sessions, 0);
  const parts = organizations.map((o) => `${o.organization} ${o.sessions} sessions (${o.resultTypes.join(', ')}) up to ${o.lastReportEnd}`);
  return {
    code: 'REPORTED_POLICY_FETCH_ERRORS',
    message:
      `Reports since ${rfc3339(scope.firstSeen)} show ${total} sessions whose senders could not fetch or validate the policy: ` +
      `${parts.join('; ')}. Fix the policy host, then publish a new id.`,
    evidence: { since: rfc3339(scope.firstSeen), sessions: total, organizations },
  };
}

function checkFailures(current: ReportedEntry[], scope: EvidenceScope): Blocker | null {
  const { failureCeiling, perOrgWindowDays } = scope.settings;
  const exceeds = (failed: number, sessions: number) => sessions > 0 && failed / sessions > failureCeiling;
  const sum = (list: ReportedEntry[], pick: (e: ReportedEntry) => number) => list.reduce((s, e) => s + pick(e), 0);
  const reasons: string[] = [];

  const failed = sum(current, (e) => e.failed);
  const sessions = sum(current, (e) => e.sessions);
  if (exceeds(failed, sessions)) {
    reasons.push(`${failed} of ${sessions} sessions failed since ${rfc3339(scope.firstSeen)} (${formatRate(failed, sessions)})`);
  }

  const windowStart = scope.now.getTime() - perOrgWindowDays * DAY_MS;
  const organizations: Record<string, EvidenceValue>[] = [];
  for (const [organization, own] of groupBy(current.filter((e) => e.end.getTime() > windowStart), (e) => e.organization)) {
    const orgFailed = sum(own, (e) => e.failed);
    const orgSessions = sum(own, (e) => e.sessions);
    organizations.push({ organization, failed: orgFailed, sessions: orgSessions, rate: orgSessions === 0 ? 0 : orgFailed / orgSessions });
    if (exceeds(orgFailed, orgSessions)) {
      reasons.push(`${organization}: ${orgFailed} of ${orgSessions} sessions failed in the last ${perOrgWindowDays} days (${formatRate(orgFailed, orgSessions)})`);
    }
  }

  const byHost = new Map<string, Map<string, number>>();
  for (const entry of current) {
    for (const detail of entry.policy.failureDetails) {
      if (isPolicyFetchResultType(detail.resultType) || detail.failedSessionCount <= 0) continue;
      const host = detail.receivingMxHostname === null ? '(no MX named)' : normalizeHost(detail.receivingMxHostname);
      const types = byHost.get(host) ?? new Map<string, number>();
      types.set(detail.resultType, (types.get(detail.resultType) ?? 0) + detail.failedSessionCount);
      byHost.set(host, types);
    }
  }
  const uncovered = [...byHost.keys()].filter((host) => host !== '(no MX named)' && !isMxCovered(host, scope.policy.mx));
  if (uncovered.length > 0) {
    reasons.push(`failures name ${uncovered.join(', ')}, which no mx: pattern covers (a stale MX or tampering)`);
  }
  if (reasons.length === 0) return null;

  const hosts = [...byHost].map(([host, types]) => ({
    host,
    resultTypes: Object.fromEntries(types),
    sessions: [...types.values()].reduce((s, n) => s + n, 0),
  }));
  const named = hosts.map((h) => `${h.host} (${Object.entries(h.resultTypes).map(([t, n]) => `${t}: ${n}`).join(', ')})`);
  return {
    code: 'REPORTED_TLS_FAILURES',
    message:
      `TLS failures in current-policy reports exceed the ${formatRate(failureCeiling, 1)} ceiling: ${reasons.join('; ')}.` +
      (named.length > 0 ? ` Failed sessions name ${named.join('; ')}.` : ''),
    evidence: {
      since: rfc3339(scope.firstSeen),
      failed,
      sessions,
      rate: sessions === 0 ? 0 : failed / sessions,
      ceiling: failureCeiling,
      windowDays: perOrgWindowDays,
      organizations,
      hosts,
      uncoveredHosts: uncovered,
    },
  };
}

/**
 * The report gates (FORMAT.md): NO_REPORTS, POLICY_NOT_SEEN, REPORTED_POLICY_FETCH_ERRORS and
 * REPORTED_TLS_FAILURES. Only current-policy entries are evidence; tlsa and no-policy-found entries
 * do not gate MTA-STS.
 */
export function assessReports(reports: TlsReport[], scope: EvidenceScope): ReportAssessment {
  const entries = collectEntries(dedupeReports(reports), scope);
  const current = entries.filter((e) => e.current);
  const blockers = [
    checkSilence(current, scope),
    ...checkPolicySeen(entries, scope),
    checkFetchErrors(entries, scope),
    checkFailures(current, scope),
  ].filter((b): b is Blocker => b !== null);
  return { blockers, current };
}
