import { atMostCeiling } from '@app/tlsrpt';
import { dashboardLink } from './dashboard-link.js';

export interface DigestInput {
  domain: string;
  /** The report day summarised (UTC, YYYY-MM-DD). */
  day: string;
  successful: number;
  failed: number;
  /** Failure classes of that day, any order. */
  failures: Array<{ resultType: string; receivingMx: string; sessions: number }>;
  verdict: string | null;
  reports: number;
}

export interface Digest {
  domain: string;
  day: string;
  sessions: number;
  failedSessions: number;
  failureRate: string;
  topFailures: Array<{ resultType: string; receivingMx: string; sessions: number }>;
  verdict: string;
  reports: number;
  link: string;
}

const TOP = 5;

export function buildDigest(input: DigestInput, baseUrl: string): Digest {
  const sessions = atMostCeiling(input.successful + input.failed);
  const topFailures = [...input.failures]
    .sort((a, b) => b.sessions - a.sessions || a.resultType.localeCompare(b.resultType) || a.receivingMx.localeCompare(b.receivingMx))
    .slice(0, TOP);
  return {
    domain: input.domain,
    day: input.day,
    sessions,
    failedSessions: input.failed,
    failureRate: sessions === 0 ? 'n/a' : `${((input.failed / sessions) * 100).toFixed(1)}%`,
    topFailures,
    verdict: input.verdict ?? 'no advice yet',
    reports: input.reports,
    link: dashboardLink(baseUrl, input.domain),
  };
}

export function digestText(d: Digest): string {
  const top = d.topFailures.length
    ? d.topFailures.map((f) => `• ${f.resultType} at ${f.receivingMx || '(no MX named)'}: ${f.sessions}`)
    : ['• no failures reported'];
  return [
    `[STS Pilot] Daily digest for ${d.domain}, ${d.day}`,
    `Sessions: ${d.sessions} (${d.failedSessions} failed, ${d.failureRate}) in ${d.reports} report(s)`,
    `Verdict: ${d.verdict}`,
    'Top failures:',
    ...top,
    `Dashboard: ${d.link}`,
  ].join('\n');
}
