import {
  extractReportsFromMail,
  reportingDomainOf,
  verifyReportDkim,
  type MailExtraction,
} from '@app/report-mail';
import type { DkimRecord, ParsedReportInput, QuarantineInput, ReportWriter } from '@app/store';
import { parseReportText, reportDedupeKey } from '@app/tlsrpt';
import type { DnsTxtResolver, IngestContext, IngestLimits, IngestOutcome } from './ingest.types.js';

/**
 * One path for every way a report arrives (SMTP, HTTPS, import, IMAP): find the report bytes, parse them
 * leniently, and commit raw message + rows + quarantine + rollups in one transaction.
 */
export class IngestPipeline {
  constructor(
    private readonly writer: ReportWriter,
    private readonly opts: { limits: IngestLimits; dkimResolver?: DnsTxtResolver; dkimTimeoutMs?: number },
  ) {}

  async ingestMail(raw: Buffer, ctx: IngestContext): Promise<IngestOutcome> {
    const extraction = await extractReportsFromMail(raw, {
      maxMessageBytes: this.opts.limits.maxMessageBytes,
      maxDecompressedBytes: this.opts.limits.maxDecompressedBytes,
      maxParts: this.opts.limits.maxMimeParts,
    });
    if (extraction.outcome === 'no-report') {
      return { kind: 'no-report', reason: extraction.reason ?? 'no report attachment found' };
    }
    const submitterDomain = reportingDomainOf(extraction.headers);
    const dkim = ctx.dkim === 'verify' ? await this.verifyDkim(raw, submitterDomain) : ctx.dkim;
    const { reports, quarantined } = this.parseCandidates(extraction, submitterDomain);
    return this.store(raw, ctx, dkim, headersOf(extraction), reports, quarantined);
  }

  private parseCandidates(extraction: MailExtraction, submitterDomain: string | null) {
    const reports: ParsedReportInput[] = [];
    const quarantined: QuarantineInput[] = [];
    for (const c of extraction.candidates) {
      if (c.error || c.json === undefined) {
        quarantined.push({
          partIndex: c.partIndex,
          code: c.error?.code ?? 'NOT_DECODED',
          reason: c.error?.reason ?? 'the report part could not be decoded',
          text: null,
        });
        continue;
      }
      const parsed = parseReportText(c.json, {
        maxJsonDepth: this.opts.limits.maxJsonDepth,
        maxPolicies: this.opts.limits.maxPolicies,
        maxFailureDetails: this.opts.limits.maxFailureDetails,
      });
      if (!parsed.ok) {
        quarantined.push({ partIndex: c.partIndex, code: parsed.code, reason: parsed.reason, text: c.json });
        continue;
      }
      reports.push({
        partIndex: c.partIndex,
        text: c.json,
        report: parsed.report,
        warnings: parsed.warnings,
        dedupeOrg: reportDedupeKey(parsed.report, submitterDomain).organization,
        submitterDomain,
      });
    }
    return { reports, quarantined };
  }

  private async store(
    raw: Buffer,
    ctx: IngestContext,
    dkim: DkimRecord,
    headers: Record<string, unknown>,
    reports: ParsedReportInput[],
    quarantined: QuarantineInput[],
  ): Promise<IngestOutcome> {
    const result = await this.writer.storeMessage({
      raw,
      source: ctx.source,
      receivedAt: ctx.receivedAt,
      envelope: ctx.envelope,
      headers,
      dkim,
      reports,
      quarantined,
    });
    const counts = { stored: result.stored.length, duplicates: result.duplicates.length, quarantined: result.quarantineIds.length };
    const parts = [
      counts.stored && `${counts.stored} report(s) stored`,
      counts.duplicates && `${counts.duplicates} duplicate(s) ignored`,
      counts.quarantined && `${counts.quarantined} quarantined`,
    ].filter(Boolean);
    return {
      kind: 'accepted',
      counts,
      rawMessageId: result.rawMessageId,
      reportIds: [...result.stored.map((s) => s.reportId), ...result.duplicates.map((d) => d.reportId)],
      quarantineReasons: quarantined.map((q) => `${q.code}: ${q.reason}`),
      summary: parts.join(', ') || 'nothing to store',
    };
  }

  private async verifyDkim(raw: Buffer, reportingDomain: string | null): Promise<DkimRecord> {
    const v = await verifyReportDkim(raw, { resolver: this.opts.dkimResolver, reportingDomain });
    return { result: v.result, aligned: v.aligned, domain: v.domain, reason: v.reason, checkedAt: v.checkedAt };
  }
}

function headersOf(extraction: MailExtraction): Record<string, unknown> {
  return { ...extraction.headers };
}
