import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/**
 * Prometheus counters. Each app instance has its own registry (tests boot several servers in one process).
 * The SMTP listener calls `smtpConnection()` and `smtpReply(code)`; ingest outcomes are counted by the ingest service.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly reports = new Counter({ name: 'sts_pilot_reports_ingested_total', help: 'Reports stored (first delivery)', labelNames: ['source'], registers: [this.registry] });
  private readonly duplicates = new Counter({ name: 'sts_pilot_report_duplicates_total', help: 'Report deliveries ignored as duplicates', labelNames: ['source'], registers: [this.registry] });
  private readonly quarantined = new Counter({ name: 'sts_pilot_quarantined_total', help: 'Report parts quarantined', labelNames: ['source'], registers: [this.registry] });
  private readonly noReport = new Counter({ name: 'sts_pilot_messages_without_report_total', help: 'Messages or bodies holding no report', labelNames: ['source'], registers: [this.registry] });
  private readonly sessions = new Counter({
    name: 'sts_pilot_sessions_total',
    help: 'Sessions in stored reports: result_type="success" for successful sessions, else the failure result type',
    labelNames: ['result_type'],
    registers: [this.registry],
  });
  private readonly smtpConnections = new Counter({ name: 'sts_pilot_smtp_connections_total', help: 'SMTP connections accepted', registers: [this.registry] });
  private readonly smtpReplies = new Counter({ name: 'sts_pilot_smtp_replies_total', help: 'SMTP replies sent, by code', labelNames: ['code'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sts_pilot_' });
  }

  ingested(source: string, counts: { stored: number; duplicates: number; quarantined: number }): void {
    const kind = sourceLabel(source);
    if (counts.stored) this.reports.inc({ source: kind }, counts.stored);
    if (counts.duplicates) this.duplicates.inc({ source: kind }, counts.duplicates);
    if (counts.quarantined) this.quarantined.inc({ source: kind }, counts.quarantined);
  }

  withoutReport(source: string): void {
    this.noReport.inc({ source: sourceLabel(source) });
  }

  addSessions(resultType: string, n: number): void {
    if (n > 0) this.sessions.inc({ result_type: resultType }, n);
  }

  smtpConnection(): void {
    this.smtpConnections.inc();
  }

  smtpReply(code: number): void {
    this.smtpReplies.inc({ code: String(code) });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** `imap:<name>` sources share one label value so label cardinality stays bounded. */
const sourceLabel = (source: string) => (source.startsWith('imap:') ? 'imap' : source);
