import { compressReportText, reportingDomainOf } from '@app/report-mail';
import { storeParsedReports, type ParsedReportInput } from '@app/store';
import { parseReportText, reportDedupeKey } from '@app/tlsrpt';
import type { DataSource } from 'typeorm';
import type { IngestLimits } from './ingest.types.js';
import { reparseTexts } from './reparse-texts.js';

export type ReparseOutcome =
  | { id: number; status: 'resolved'; reports: Array<{ reportId: string; organization: string; reportPk: number; duplicate: boolean }> }
  | { id: number; status: 'still-quarantined'; code: string; reason: string }
  | { id: number; status: 'already-resolved'; resolvedReportId: number | null };

const BATCH = 100;

/**
 * Re-runs the current parser on quarantined parts (after a parser fix) and moves what now parses into the normal
 * tables, rollups included, marking the quarantine row resolved, one transaction per row. The server's
 * `POST /api/quarantine/:id/reparse` and the CLI's `reparse --quarantine` both run it.
 */
export class QuarantineReparser {
  constructor(
    private readonly ds: DataSource,
    private readonly limits: IngestLimits,
  ) {}

  /** Null when there is no quarantine entry with this id. */
  async reparseOne(id: number): Promise<ReparseOutcome | null> {
    return this.ds.transaction(async (m) => {
      const [q] = await m.query(
        `SELECT q.id, q.part_index, q.report_text, q.resolved_at, q.resolved_report_pk, q.raw_message_id, m.bytes, m.headers
           FROM quarantine q JOIN raw_message m ON m.id = q.raw_message_id WHERE q.id = $1 FOR UPDATE OF q`,
        [id],
      );
      if (!q) return null;
      if (q.resolved_at) {
        return { id, status: 'already-resolved', resolvedReportId: q.resolved_report_pk === null ? null : Number(q.resolved_report_pk) } as const;
      }
      const source = await reparseTexts(q, q.bytes, this.limits);
      if (!source.ok) return { id, status: 'still-quarantined', code: source.code, reason: source.reason } as const;
      const submitterDomain = reportingDomainOf(q.headers ?? {});
      const inputs: ParsedReportInput[] = [];
      for (const text of source.texts) {
        const parsed = parseReportText(text, this.limits);
        if (!parsed.ok) return { id, status: 'still-quarantined', code: parsed.code, reason: parsed.reason } as const;
        inputs.push({
          partIndex: q.part_index,
          body: compressReportText(text),
          report: parsed.report,
          warnings: parsed.warnings,
          dedupeOrg: reportDedupeKey(parsed.report, submitterDomain).organization,
          submitterDomain,
        });
      }
      const reports = await storeParsedReports(m, Number(q.raw_message_id), inputs);
      await m.query(`UPDATE quarantine SET resolved_at = now(), resolved_report_pk = $2 WHERE id = $1`, [id, reports[0]?.reportPk ?? null]);
      return { id, status: 'resolved', reports } as const;
    });
  }

  /** Entries not resolved yet: what `reparseAll` will attempt (for a progress bar). */
  async openCount(): Promise<number> {
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM quarantine WHERE resolved_at IS NULL`);
    return n;
  }

  /** Every open entry, oldest first; `onEach` after each one. */
  async reparseAll(onEach: () => void = () => undefined) {
    const items: ReparseOutcome[] = [];
    let after = 0;
    for (;;) {
      const rows: Array<{ id: string }> = await this.ds.query(
        `SELECT id FROM quarantine WHERE resolved_at IS NULL AND id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      for (const row of rows) {
        const outcome = await this.reparseOne(Number(row.id));
        if (outcome) items.push(outcome); // null: deleted since the listing (retention)
        onEach();
      }
      if (rows.length < BATCH) break;
      after = Number(rows[rows.length - 1].id);
    }
    return {
      attempted: items.length,
      resolved: items.filter((i) => i.status === 'resolved').length,
      stillQuarantined: items.filter((i) => i.status === 'still-quarantined').length,
      items,
    };
  }
}
