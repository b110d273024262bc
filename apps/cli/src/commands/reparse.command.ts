import type { AppConfig } from '@app/config';
import { QuarantineReparser } from '@app/ingest';
import { storedReportText } from '@app/report-mail';
import { parseReportText, reportDedupeKey } from '@app/tlsrpt';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { CliError, withDatabase } from '../cli-context.js';

const BATCH = 200;

interface QuarantineSummary {
  mode: 'quarantine';
  attempted: number;
  resolved: number;
  stillQuarantined: number;
  reasons: Record<string, number>;
}

interface AllSummary {
  mode: 'all';
  reports: number;
  updated: number;
  unchanged: number;
  /** Parsed now with a different dedupe key: left as stored, the key never changes after the fact. */
  keyChanged: number[];
  /** No longer parse under the current parser and limits: left as stored. */
  nowFailing: Array<{ id: number; code: string }>;
}

function progress(label: string, show: boolean) {
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, noTTYOutput: false }, Presets.shades_classic);
  return {
    start: (total: number) => show && process.stderr.isTTY && bar.start(total, 0),
    tick: () => bar.increment(1),
    stop: () => bar.stop(),
  };
}

async function reparseQuarantine(ds: DataSource, config: AppConfig, show: boolean): Promise<QuarantineSummary> {
  const reparser = new QuarantineReparser(ds, config.limits);
  const bar = progress('reparsing quarantine', show);
  bar.start(await reparser.openCount());
  const { items, ...counts } = await reparser.reparseAll(() => bar.tick());
  bar.stop();
  const reasons: Record<string, number> = {};
  for (const i of items) if (i.status === 'still-quarantined') reasons[i.code] = (reasons[i.code] ?? 0) + 1;
  return { mode: 'quarantine', ...counts, reasons };
}

async function reparseAll(ds: DataSource, config: AppConfig, show: boolean): Promise<AllSummary> {
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM report`);
  const summary: AllSummary = { mode: 'all', reports: n, updated: 0, unchanged: 0, keyChanged: [], nowFailing: [] };
  const bar = progress('reparsing reports', show);
  bar.start(n);
  let after = 0;
  for (;;) {
    const rows: Array<{ id: string; dedupe_org: string; report_id: string; date_start: Date; submitter_domain: string | null; organization_name: string | null; contact_info: string | null; warnings: unknown; report_text: string | null; report_gz: Buffer | null }> =
      await ds.query(
        `SELECT id, dedupe_org, report_id, date_start, submitter_domain, organization_name, contact_info, warnings, report_text, report_gz
           FROM report WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
    for (const r of rows) {
      const id = Number(r.id);
      const parsed = parseReportText(storedReportText(r), config.limits);
      if (!parsed.ok) {
        summary.nowFailing.push({ id, code: parsed.code });
      } else {
        const key = reportDedupeKey(parsed.report, r.submitter_domain);
        if (key.organization !== r.dedupe_org || key.reportId !== r.report_id || new Date(key.start).getTime() !== new Date(r.date_start).getTime()) {
          summary.keyChanged.push(id);
        } else {
          const next = { organization_name: parsed.report.organizationName, contact_info: parsed.report.contactInfo, warnings: parsed.warnings };
          const same =
            next.organization_name === r.organization_name && next.contact_info === r.contact_info && canonical(next.warnings) === canonical(r.warnings);
          if (same) summary.unchanged += 1;
          else {
            await ds.query(`UPDATE report SET organization_name = $2, contact_info = $3, warnings = $4 WHERE id = $1`, [
              id,
              next.organization_name,
              next.contact_info,
              JSON.stringify(next.warnings),
            ]);
            summary.updated += 1;
          }
        }
      }
      bar.tick();
    }
    if (rows.length < BATCH) break;
    after = Number(rows[rows.length - 1].id);
  }
  bar.stop();
  return summary;
}

/** JSON with sorted keys: jsonb does not keep the key order the parser wrote. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}

function printSummary(s: QuarantineSummary | AllSummary): void {
  const out = (line: string) => process.stdout.write(line + '\n');
  if (s.mode === 'quarantine') {
    out(`${s.attempted} quarantined part(s) re-parsed`);
    out(`  moved into the reports: ${s.resolved}`);
    out(`  still quarantined:      ${s.stillQuarantined}`);
    for (const [code, count] of Object.entries(s.reasons)) out(`    ${code}: ${count}`);
  } else {
    out(`${s.reports} stored report(s) re-parsed`);
    out(`  updated:        ${s.updated}`);
    out(`  unchanged:      ${s.unchanged}`);
    out(`  key changed:    ${s.keyChanged.length} (left as stored)`);
    out(`  no longer parse: ${s.nowFailing.length} (left as stored)`);
  }
}

export function registerReparseCommand(program: Command): void {
  program
    .command('reparse')
    .description('run the current parser over stored raw messages: quarantined parts (default) or every stored report (--all)')
    .option('--quarantine', 'move quarantined parts that now parse into the reports and mark them resolved (default)')
    .option('--all', 're-derive warnings and normalised fields of every stored report; dedupe keys stay')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { quarantine?: boolean; all?: boolean; json?: boolean }) => {
      if (opts.quarantine && opts.all) throw new CliError('choose one of --quarantine and --all', 2);
      const summary = await withDatabase<QuarantineSummary | AllSummary>((ds, config) => (opts.all ? reparseAll(ds, config, !opts.json) : reparseQuarantine(ds, config, !opts.json)));
      if (opts.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      else printSummary(summary);
    });
}
