import type { SourceStatus, SyncResult } from '@app/imap-source';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * Per-source IMAP metrics in the server's registry. Source names come from configuration, so the label set is
 * bounded. Reports stored/duplicates/quarantined are already counted by the ingest path (source="imap").
 */
export function registerImapMetrics(registry: Registry, statuses: () => SourceStatus[]) {
  const gauge = (name: string, help: string, value: (s: SourceStatus) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['source'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of statuses()) {
          const v = value(s);
          if (v !== null) this.set({ source: s.name }, v);
        }
      },
    });
  gauge('sts_pilot_imap_source_up', '1 when the last round of the source succeeded, else 0', (s) => (s.lastSyncAt && !s.lastError ? 1 : 0));
  gauge('sts_pilot_imap_source_last_sync_timestamp_seconds', 'End of the last successful round (Unix seconds)', (s) => (s.lastSyncAt ? Date.parse(s.lastSyncAt) / 1000 : null));
  gauge('sts_pilot_imap_source_consecutive_failures', 'Failed rounds or logins since the last success', (s) => s.consecutiveFailures);
  const messages = new Counter({ name: 'sts_pilot_imap_messages_total', help: 'Messages read from IMAP sources, by what they were', labelNames: ['source', 'kind'], registers: [registry] });
  const errors = new Counter({ name: 'sts_pilot_imap_sync_errors_total', help: 'Failed IMAP logins and rounds, by error code', labelNames: ['source', 'code'], registers: [registry] });
  return {
    round(name: string, r: SyncResult): void {
      const c = r.counts;
      const reports = c.messages - c.notReports - c.oversized;
      if (reports > 0) messages.inc({ source: name, kind: 'report' }, reports);
      if (c.notReports) messages.inc({ source: name, kind: 'not-a-report' }, c.notReports);
      if (c.oversized) messages.inc({ source: name, kind: 'oversized' }, c.oversized);
    },
    error(name: string, code: string): void {
      errors.inc({ source: name, code });
    },
  };
}
