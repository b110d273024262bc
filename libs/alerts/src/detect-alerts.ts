import type { AlertCandidate, AlertRules, DomainSnapshot } from './alert.types.js';
import { dashboardLink } from './dashboard-link.js';
import { CERT_ALERT_DAYS, JUMP_MIN_FACTOR, JUMP_MIN_POINTS, JUMP_MIN_SESSIONS, POLICY_FETCH_RESULT_TYPES } from './thresholds.js';

const DAY_MS = 86_400_000;

type Draft = Omit<AlertCandidate, 'domain' | 'link'>;

/** Every alert the snapshot justifies; suppression of repeats is the caller's (see `isSuppressed`). */
export function detectAlerts(s: DomainSnapshot, rules: AlertRules): AlertCandidate[] {
  const drafts = [...verdictChange(s), ...newFailureClasses(s), ...rateJump(s), ...policyFetchErrors(s), ...expiringCerts(s), ...silence(s, rules)];
  const link = dashboardLink(rules.baseUrl, s.domain);
  return drafts.map((d) => ({ domain: s.domain, link, ...d }));
}

function verdictChange(s: DomainSnapshot): Draft[] {
  if (s.currentVerdict === null || s.previousVerdict === null || s.currentVerdict === s.previousVerdict) return [];
  return [
    {
      kind: 'verdict-change',
      subject: `${s.previousVerdict}->${s.currentVerdict}`,
      message: `The rollout verdict of ${s.domain} changed from ${s.previousVerdict} to ${s.currentVerdict}.`,
      evidence: { from: s.previousVerdict, to: s.currentVerdict },
    },
  ];
}

function newFailureClasses(s: DomainSnapshot): Draft[] {
  const types = new Set(s.knownResultTypes);
  const mxs = new Set(s.knownReceivingMx);
  const out: Draft[] = [];
  const byType = groupSessions(s.recentFailures, (f) => f.resultType);
  for (const [resultType, sessions] of byType) {
    if (types.has(resultType)) continue;
    out.push({
      kind: 'new-failure-class',
      subject: `result-type:${resultType}`,
      message: `Reports for ${s.domain} show a failure type never seen before: ${resultType} (${sessions} failed session(s)).`,
      evidence: { resultType, failedSessions: sessions },
    });
  }
  const byMx = groupSessions(
    s.recentFailures.filter((f) => f.receivingMx !== ''),
    (f) => f.receivingMx,
  );
  for (const [receivingMx, sessions] of byMx) {
    if (mxs.has(receivingMx)) continue;
    out.push({
      kind: 'new-failure-class',
      subject: `receiving-mx:${receivingMx}`,
      message: `Reports for ${s.domain} show failures at a receiving MX never seen failing before: ${receivingMx} (${sessions} failed session(s)).`,
      evidence: { receivingMx, failedSessions: sessions },
    });
  }
  return out;
}

function groupSessions<T extends { sessions: number }>(rows: T[], key: (r: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + r.sessions);
  return m;
}

/** Percent with one decimal, as text so the evidence reads the same everywhere. */
function pct(failed: number, total: number): string {
  return total === 0 ? '0.0%' : `${((failed / total) * 100).toFixed(1)}%`;
}

function rateJump(s: DomainSnapshot): Draft[] {
  if (s.lastTwoDays.length < 2) return [];
  const [prev, last] = s.lastTwoDays;
  const lastTotal = last.successful + last.failed;
  const prevTotal = prev.successful + prev.failed;
  if (lastTotal < JUMP_MIN_SESSIONS || prevTotal === 0) return [];
  const lastRate = last.failed / lastTotal;
  const prevRate = prev.failed / prevTotal;
  if (lastRate - prevRate < JUMP_MIN_POINTS / 100 || lastRate < prevRate * JUMP_MIN_FACTOR) return [];
  return [
    {
      kind: 'failure-rate-jump',
      subject: last.day,
      message: `The failure rate of ${s.domain} jumped from ${pct(prev.failed, prevTotal)} on ${prev.day} to ${pct(last.failed, lastTotal)} on ${last.day}.`,
      evidence: {
        previousDay: prev.day,
        previousRate: pct(prev.failed, prevTotal),
        previousSessions: prevTotal,
        day: last.day,
        rate: pct(last.failed, lastTotal),
        sessions: lastTotal,
        failedSessions: last.failed,
      },
    },
  ];
}

function policyFetchErrors(s: DomainSnapshot): Draft[] {
  const fetchTypes: readonly string[] = POLICY_FETCH_RESULT_TYPES;
  const byType = groupSessions(
    s.recentFailures.filter((f) => fetchTypes.includes(f.resultType)),
    (f) => f.resultType,
  );
  return [...byType].map(([resultType, sessions]) => ({
    kind: 'policy-fetch-error' as const,
    subject: resultType,
    message: `Senders report that they could not use the MTA-STS policy of ${s.domain}: ${resultType} in ${sessions} session(s).`,
    evidence: { resultType, failedSessions: sessions },
  }));
}

function expiringCerts(s: DomainSnapshot): Draft[] {
  const out: Draft[] = [];
  for (const c of s.certificates) {
    if (c.notAfter === null) continue;
    const daysLeft = Math.floor((Date.parse(c.notAfter) - s.now.getTime()) / DAY_MS);
    if (Number.isNaN(daysLeft) || daysLeft >= CERT_ALERT_DAYS) continue;
    const what = daysLeft < 0 ? `expired on ${c.notAfter.slice(0, 10)}` : `expires on ${c.notAfter.slice(0, 10)} (${daysLeft} day(s) left)`;
    out.push({
      kind: 'cert-expiring',
      subject: `${c.host}@${c.notAfter.slice(0, 10)}`,
      message: `The certificate of ${c.host} ${what}; renew it before senders refuse it.`,
      evidence: { host: c.host, notAfter: c.notAfter, daysLeft },
    });
  }
  return out;
}

function silence(s: DomainSnapshot, rules: AlertRules): Draft[] {
  const since = s.lastReportAt ?? s.watchedSince;
  const days = Math.floor((s.now.getTime() - since.getTime()) / DAY_MS);
  if (days < rules.noReportDays) return [];
  const last = s.lastReportAt ? s.lastReportAt.toISOString() : 'never';
  return [
    {
      kind: 'no-reports',
      subject: `since:${s.lastReportAt ? s.lastReportAt.toISOString() : 'never'}`,
      message:
        `No TLS-RPT report for ${s.domain} has arrived for ${days} day(s) (last: ${last}); ` +
        `check the rua address in _smtp._tls.${s.domain} and that mail to it reaches STS Pilot.`,
      evidence: { lastReportAt: last, days, thresholdDays: rules.noReportDays },
    },
  ];
}
