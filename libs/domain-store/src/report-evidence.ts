import type { StoredReportText } from './domain-store.types.js';
import { parseReportText, type TlsReport } from '@app/tlsrpt';

export interface Evidence {
  reports: TlsReport[];
  /** Stored reports for the domain that were looked at. */
  considered: number;
  /** Left out because REQUIRE_DKIM_FOR_EVIDENCE is on and they carry no aligned DKIM signature. */
  unauthenticated: number;
  /** Left out because their date range starts after `now` (a clock that lags the reporters). */
  future: number;
  unparsable: number;
}

/** The reports the rollout engine may count: authenticated when required, parsed, not from the future. */
export function selectEvidence(stored: StoredReportText[], opts: { requireDkim: boolean; now: Date }): Evidence {
  const e: Evidence = { reports: [], considered: stored.length, unauthenticated: 0, future: 0, unparsable: 0 };
  for (const row of stored) {
    if (opts.requireDkim && !row.authenticated) {
      e.unauthenticated++;
      continue;
    }
    const parsed = parseReportText(row.text);
    if (!parsed.ok) {
      e.unparsable++;
      continue;
    }
    if (parsed.report.dateRange.start.getTime() > opts.now.getTime()) {
      e.future++;
      continue;
    }
    e.reports.push(parsed.report);
  }
  return e;
}

export function evidenceNote(e: Evidence, requireDkim: boolean): string {
  const parts = [`${e.reports.length} of ${e.considered} stored report(s) for this domain count as evidence.`];
  if (requireDkim) {
    parts.push(
      e.unauthenticated > 0
        ? `${e.unauthenticated} report(s) without an aligned DKIM signature were left out (REQUIRE_DKIM_FOR_EVIDENCE=true).`
        : 'Only DKIM-authenticated reports count (REQUIRE_DKIM_FOR_EVIDENCE=true).',
    );
  } else {
    parts.push('Reports count whether or not they are DKIM-authenticated (REQUIRE_DKIM_FOR_EVIDENCE=false).');
  }
  if (e.unparsable > 0) parts.push(`${e.unparsable} stored report(s) no longer parse and were left out.`);
  if (e.future > 0) parts.push(`${e.future} report(s) dated after now were left out.`);
  return parts.join(' ');
}
