import type { MessageWriter } from '@app/ingest';
import type { MetricsService } from './metrics.service.js';

/** Wraps the report writer so the sessions of newly stored reports (not duplicates) are counted by result type. */
export function meteredWriter(writer: MessageWriter, metrics: MetricsService): MessageWriter {
  return {
    async storeMessage(input) {
      const result = await writer.storeMessage(input);
      const stored = new Set(result.stored.map((s) => `${s.organization}\u0000${s.reportId}`));
      for (const r of input.reports) {
        if (!stored.delete(`${r.dedupeOrg}\u0000${r.report.reportId}`)) continue;
        for (const p of r.report.policies) {
          if (!p.countsTowardRates) continue;
          metrics.addSessions('success', p.totalSuccessfulSessionCount);
          for (const f of p.failureDetails) metrics.addSessions(f.resultType, f.failedSessionCount);
        }
      }
      return result;
    },
  };
}
