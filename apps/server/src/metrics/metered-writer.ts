import type { MessageWriter } from '@app/ingest';
import type { MetricsService } from './metrics.service.js';

/** Wraps the report writer so the sessions of newly stored reports (not duplicates) are counted by result type. */
export function meteredWriter(writer: MessageWriter, metrics: MetricsService): MessageWriter {
  return {
    async storeMessage(input) {
      const result = await writer.storeMessage(input);
      const stored = new Set(result.stored.map((s) => `${s.organization}\u0000${s.reportId}`));
      // Summed here first: a large report has thousands of failure rows but only a few result types, and each
      // labelled counter increment hashes its labels.
      const sessions = new Map<string, number>();
      const add = (resultType: string, n: number) => sessions.set(resultType, (sessions.get(resultType) ?? 0) + n);
      for (const r of input.reports) {
        if (!stored.delete(`${r.dedupeOrg}\u0000${r.report.reportId}`)) continue;
        for (const p of r.report.policies) {
          if (!p.countsTowardRates) continue;
          add('success', p.totalSuccessfulSessionCount);
          for (const f of p.failureDetails) add(f.resultType, f.failedSessionCount);
        }
      }
      for (const [resultType, n] of sessions) metrics.addSessions(resultType, n);
      return result;
    },
  };
}
