// Pure aggregation of report lists/details into what the domain pages show, used while (or where) the
// server's dashboard API is not available: computed from the reports API, and labelled as such.
import { failureRate } from './format.js';

export interface ReportListItem {
  id: number;
  organization: string | null;
  reportId: string;
  dateRange: { start: string; end: string };
  policyDomains: string[];
  successfulSessions: number;
  failedSessions: number;
  receivedAt: string;
}

export interface ReportFailure {
  resultType: string;
  failedSessionCount: number;
  sendingMtaIp: string | null;
  receivingIp: string | null;
  receivingMxHostname: string | null;
}

export interface ReportDetailPolicy {
  policyType: string;
  policyDomain: string | null;
  successfulSessions: number;
  failedSessions: number;
  failures: ReportFailure[];
}

export interface ReportDetail {
  id: number;
  organization: string | null;
  dateRange: { start: string; end: string };
  receivedAt: string;
  policies: ReportDetailPolicy[];
}

export interface DomainSummary {
  domain: string;
  reports: number;
  successful: number;
  failed: number;
  lastReportAt: string | null;
  /** Daily failure share for the last `days` days ending today; null where no sessions were reported. */
  daily: Array<number | null>;
}

const day = (iso: string) => iso.slice(0, 10);

export function summarizeDomains(items: ReportListItem[], today: string, days = 14): DomainSummary[] {
  const byDomain = new Map<string, { s: DomainSummary; perDay: Map<string, [number, number]> }>();
  for (const r of items) {
    for (const domain of new Set(r.policyDomains.map((d) => d.toLowerCase()))) {
      let e = byDomain.get(domain);
      if (!e) {
        e = { s: { domain, reports: 0, successful: 0, failed: 0, lastReportAt: null, daily: [] }, perDay: new Map() };
        byDomain.set(domain, e);
      }
      // A report covering several domains lists its totals once; attribute them to each (an approximation the page says).
      e.s.reports += 1;
      e.s.successful += r.successfulSessions;
      e.s.failed += r.failedSessions;
      if (!e.s.lastReportAt || r.receivedAt > e.s.lastReportAt) e.s.lastReportAt = r.receivedAt;
      const k = day(r.dateRange.start);
      const [ok, bad] = e.perDay.get(k) ?? [0, 0];
      e.perDay.set(k, [ok + r.successfulSessions, bad + r.failedSessions]);
    }
  }
  const axis = dayAxis(today, days);
  return [...byDomain.values()]
    .map(({ s, perDay }) => ({ ...s, daily: axis.map((d) => (perDay.has(d) ? failureRate(...perDay.get(d)!) : null)) }))
    .sort((a, b) => a.domain.localeCompare(b.domain));
}

export function dayAxis(today: string, days: number): string[] {
  const end = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

export interface DailySeries {
  days: string[];
  /** null: no sessions reported that day (a gap in the chart, never a zero). */
  successful: Array<number | null>;
  /** Failed sessions per result type, same length as `days`. */
  failedByType: Record<string, Array<number | null>>;
}

/** Daily sessions for one policy domain from full report details, failures split by result type. */
export function dailySeries(details: ReportDetail[], domain: string): DailySeries {
  const want = domain.toLowerCase();
  const dayKeys = new Set<string>();
  const ok = new Map<string, number>();
  const failed = new Map<string, Map<string, number>>();
  for (const r of details) {
    const d = day(r.dateRange.start);
    for (const p of r.policies) {
      if ((p.policyDomain ?? '').toLowerCase() !== want) continue;
      dayKeys.add(d);
      ok.set(d, (ok.get(d) ?? 0) + p.successfulSessions);
      const typed = p.failures.reduce((n, f) => n + f.failedSessionCount, 0);
      const add = (type: string, n: number) => {
        if (n <= 0) return;
        const m = failed.get(type) ?? new Map<string, number>();
        m.set(d, (m.get(d) ?? 0) + n);
        failed.set(type, m);
      };
      for (const f of p.failures) add(f.resultType, f.failedSessionCount);
      // RFC 8460 lets the summary count more failures than the details list.
      add('unspecified', p.failedSessions - typed);
    }
  }
  const days = [...dayKeys].sort();
  const failedByType: Record<string, number[]> = {};
  for (const [type, m] of [...failed.entries()].sort(([a], [b]) => a.localeCompare(b))) failedByType[type] = days.map((d) => m.get(d) ?? 0);
  return { days, successful: days.map((d) => ok.get(d) ?? 0), failedByType };
}

export interface BreakdownRow {
  key: string;
  sessions: number;
  share: number;
}

export type BreakdownKind = 'organization' | 'receivingMx' | 'receivingIp' | 'sendingIp' | 'resultType';

/** Failed sessions grouped by one dimension, largest first, with their share of all failed sessions. */
export function failureBreakdown(details: ReportDetail[], domain: string, kind: BreakdownKind): BreakdownRow[] {
  const want = domain.toLowerCase();
  const counts = new Map<string, number>();
  let total = 0;
  for (const r of details) {
    for (const p of r.policies) {
      if ((p.policyDomain ?? '').toLowerCase() !== want) continue;
      for (const f of p.failures) {
        const key =
          kind === 'organization' ? r.organization : kind === 'receivingMx' ? f.receivingMxHostname : kind === 'receivingIp' ? f.receivingIp : kind === 'sendingIp' ? f.sendingMtaIp : f.resultType;
        const k = key ?? '(not reported)';
        counts.set(k, (counts.get(k) ?? 0) + f.failedSessionCount);
        total += f.failedSessionCount;
      }
    }
  }
  return [...counts.entries()]
    .map(([key, sessions]) => ({ key, sessions, share: total > 0 ? sessions / total : 0 }))
    .sort((a, b) => b.sessions - a.sessions || a.key.localeCompare(b.key));
}

/** One day of `GET /api/dashboards/domains/:domain/series`. */
export interface ApiSeriesDay {
  day: string;
  successfulSessions: number;
  failedSessions: number;
  failureRate: number | null;
  failuresByResultType: Record<string, number>;
}

/**
 * The dashboard API's zero-filled days as chart data: days before the first report are dropped, and a day
 * without sessions becomes a gap (null), so that silence never draws as "0 failures".
 */
export function seriesFromApi(days: ApiSeriesDay[]): DailySeries {
  const first = days.findIndex((d) => d.successfulSessions + d.failedSessions > 0);
  const kept = first < 0 ? [] : days.slice(first);
  const types = [...new Set(kept.flatMap((d) => Object.keys(d.failuresByResultType)))].sort();
  const empty = (d: ApiSeriesDay) => d.successfulSessions + d.failedSessions === 0;
  const failedByType: Record<string, Array<number | null>> = {};
  for (const t of types) failedByType[t] = kept.map((d) => (empty(d) ? null : d.failuresByResultType[t] ?? 0));
  // Failed sessions the details do not attribute to a result type (RFC 8460 summary vs details).
  const untyped = kept.map((d) => d.failedSessions - Object.values(d.failuresByResultType).reduce((a, b) => a + b, 0));
  if (untyped.some((n) => n > 0)) failedByType.unspecified = kept.map((d, i) => (empty(d) ? null : Math.max(0, untyped[i])));
  return { days: kept.map((d) => d.day), successful: kept.map((d) => (empty(d) ? null : d.successfulSessions)), failedByType };
}

/** `GET …/breakdowns/:dimension` items as table rows; a value the reports did not give is named. */
export function breakdownFromApi(items: Array<{ value: string | null; failedSessions: number; share: number | null }>): BreakdownRow[] {
  return items.map((i) => ({ key: i.value ?? '(not reported)', sessions: i.failedSessions, share: i.share ?? 0 }));
}
