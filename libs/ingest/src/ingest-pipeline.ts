import {
  compressReportText,
  decodeReportPayload,
  extractReportsFromMail,
  reportingDomainOf,
  sniffReportBytes,
  verifyReportDkim,
  type MailExtraction,
  type ReportCandidate,
} from '@app/report-mail';
import { jsonBytesArePgSafe, markPgSafe, type DkimRecord, type ParsedReportInput, type QuarantineInput, type StoreMessageInput, type StoreMessageResult } from '@app/store';
import { parseReportBytes, reportDedupeKey } from '@app/tlsrpt';
import { eventLoopTurn } from './event-loop-turn.js';
import type { DnsTxtResolver, IngestContext, IngestLimits, IngestOutcome } from './ingest.types.js';

/**
 * One path for every way a report arrives (SMTP, HTTPS, import, IMAP): find the report bytes, parse them
 * leniently, and commit raw message + rows + quarantine + rollups in one transaction.
 */
/** Where a pipeline commits its results: `ReportWriter` in production, a no-op for dry runs. */
export interface MessageWriter {
  storeMessage(input: StoreMessageInput): Promise<StoreMessageResult>;
}

/** For `--dry-run`: everything is extracted and parsed, nothing is written (duplicates cannot be told apart). */
export const dryRunWriter: MessageWriter = {
  storeMessage: async (input) => ({
    rawMessageId: null,
    stored: input.reports.map((r) => ({ reportPk: 0, reportId: r.report.reportId, organization: r.dedupeOrg })),
    duplicates: [],
    quarantineIds: input.quarantined.map(() => 0),
    alreadyQuarantined: false,
  }),
};

export class IngestPipeline {
  constructor(
    private readonly writer: MessageWriter,
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
    const { reports, quarantined } = await this.parseCandidates(extraction.candidates, submitterDomain);
    return this.store(raw, ctx, dkim, headersOf(extraction), reports, quarantined);
  }

  /**
   * A bare report body (HTTPS POST, or a `.json`/`.json.gz`/`.zip` file): sniffed, decoded under the caps and parsed
   * like a mail attachment. Bytes that are none of gzip, zip or JSON are `not-a-report` and stored nowhere.
   */
  async ingestPayload(bytes: Buffer, ctx: IngestContext & { headers?: Record<string, unknown> }): Promise<IngestOutcome> {
    const container = sniffReportBytes(bytes);
    if (container === 'unknown') return { kind: 'no-report', reason: 'the body is neither gzip, zip nor JSON' };
    const decoded = decodeReportPayload(bytes, { maxDecompressedBytes: this.opts.limits.maxDecompressedBytes });
    const candidates: ReportCandidate[] = decoded.ok
      ? decoded.jsons.map((json) => ({ partIndex: 0, filename: null, declaredType: null, container, json, ...(container === 'gzip' && { gzip: bytes }) }))
      : [{ partIndex: 0, filename: null, declaredType: null, container, error: { code: decoded.code, reason: decoded.reason } }];
    const dkim = ctx.dkim === 'verify' ? NO_SIGNATURE_POSSIBLE : ctx.dkim;
    const { reports, quarantined } = await this.parseCandidates(candidates, null);
    return this.store(bytes, ctx, dkim, ctx.headers ?? {}, reports, quarantined);
  }

  private async parseCandidates(candidates: ReportCandidate[], submitterDomain: string | null) {
    const reports: ParsedReportInput[] = [];
    const quarantined: QuarantineInput[] = [];
    for (const c of candidates) {
      if (takesMilliseconds(c)) await eventLoopTurn();
      if (c.error || c.json === undefined) {
        quarantined.push({
          partIndex: c.partIndex,
          code: c.error?.code ?? 'NOT_DECODED',
          reason: c.error?.reason ?? 'the report part could not be decoded',
          text: null,
        });
        continue;
      }
      const parsed = parseReportBytes(c.json.bytes, {
        maxJsonDepth: this.opts.limits.maxJsonDepth,
        maxPolicies: this.opts.limits.maxPolicies,
        maxFailureDetails: this.opts.limits.maxFailureDetails,
      });
      if (!parsed.ok) {
        quarantined.push({ partIndex: c.partIndex, code: parsed.code, reason: parsed.reason, text: c.json.text });
        continue;
      }
      if (jsonBytesArePgSafe(c.json.bytes)) {
        // Nothing in this report needs sanitizing for PostgreSQL: the writer need not walk its thousands of strings.
        markPgSafe(parsed.report);
        markPgSafe(parsed.warnings);
      }
      reports.push({
        partIndex: c.partIndex,
        body: c.gzip ?? compressReportText(c.json),
        report: parsed.report,
        warnings: parsed.warnings,
        dedupeOrg: reportDedupeKey(parsed.report, submitterDomain).organization,
        submitterDomain,
      });
    }
    if (candidates.some(takesMilliseconds)) await eventLoopTurn(); // before the writer's own synchronous work
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
    const counts = {
      stored: result.stored.length,
      duplicates: result.duplicates.length,
      quarantined: result.quarantineIds.length,
      alreadyQuarantined: result.alreadyQuarantined ? 1 : 0,
    };
    const parts = [
      counts.stored && `${counts.stored} report(s) stored`,
      counts.duplicates && `${counts.duplicates} duplicate(s) ignored`,
      counts.quarantined && `${counts.quarantined} quarantined`,
      result.alreadyQuarantined && 'already quarantined',
    ].filter(Boolean);
    return {
      kind: 'accepted',
      counts,
      rawMessageId: result.rawMessageId,
      reportIds: [...result.stored.map((s) => s.reportId), ...result.duplicates.map((d) => d.reportId)],
      storedPolicyDomains: storedPolicyDomains(reports, result.stored),
      quarantineReasons: quarantined.map((q) => `${q.code}: ${q.reason}`),
      summary: parts.join(', ') || 'nothing to store',
    };
  }

  private async verifyDkim(raw: Buffer, reportingDomain: string | null): Promise<DkimRecord> {
    const v = await verifyReportDkim(raw, { resolver: this.opts.dkimResolver, reportingDomain });
    return { result: v.result, aligned: v.aligned, domain: v.domain, reason: v.reason, checkedAt: v.checkedAt };
  }
}

/**
 * Parsing a report of this size or more takes milliseconds of the event loop: the pipeline lets the loop turn before
 * and after it (`eventLoopTurn`). Smaller reports parse in microseconds and are not delayed.
 */
const TURN_FROM_BYTES = 64 * 1024;

function takesMilliseconds(c: ReportCandidate): boolean {
  return (c.json?.bytes.length ?? 0) >= TURN_FROM_BYTES;
}

/** A body without a mail envelope carries no DKIM signature (RPT-DLV-9: HTTPS reports are unauthenticated). */
const NO_SIGNATURE_POSSIBLE: DkimRecord = { result: 'none', aligned: false, domain: null, reason: 'not a mail: no DKIM signature possible', checkedAt: null };

function storedPolicyDomains(reports: ParsedReportInput[], stored: StoreMessageResult['stored']): string[] {
  const domains = new Set<string>();
  for (const s of stored) {
    const r = reports.find((x) => x.report.reportId === s.reportId && x.dedupeOrg === s.organization);
    for (const p of r?.report.policies ?? []) if (p.policyDomain) domains.add(p.policyDomain.toLowerCase());
  }
  return [...domains];
}

function headersOf(extraction: MailExtraction): Record<string, unknown> {
  return { ...extraction.headers };
}
