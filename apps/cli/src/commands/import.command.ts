import { dryRunWriter, IngestPipeline, NOT_VERIFIED_AT_RECEIPT, type IngestOutcome } from '@app/ingest';
import { ReportWriter } from '@app/store';
import { SingleBar, Presets } from 'cli-progress';
import { Command } from 'commander';
import { CliError, cliConfig, withDatabase } from '../cli-context.js';
import { collectImportItems, type ImportItem } from '../import/import-sources.js';

interface Summary {
  files: number;
  stored: number;
  duplicates: number;
  quarantined: number;
  alreadyQuarantined: number;
  notReports: string[];
  quarantineReasons: string[];
  errors: string[];
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import reports from .eml, .json, .json.gz, .zip files, mbox files and Maildir folders (recursively)')
    .argument('<path...>', 'files or folders')
    .option('--dry-run', 'parse everything, store nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (paths: string[], opts: { dryRun?: boolean; json?: boolean }) => {
      const { items, skipped } = await collectImportItems(paths).catch((err: Error) => {
        throw new CliError(`cannot read ${err.message.replace(/^.*?'/, "'")}`, 2);
      });
      const run = (pipeline: IngestPipeline) => importAll(pipeline, items, !opts.json);
      const limits = cliConfig().limits;
      const summary = opts.dryRun
        ? await run(new IngestPipeline(dryRunWriter, { limits }))
        : await withDatabase((ds) => run(new IngestPipeline(new ReportWriter(ds), { limits })));
      if (opts.json) {
        process.stdout.write(JSON.stringify({ dryRun: !!opts.dryRun, ...summary, skipped }, null, 2) + '\n');
      } else {
        printSummary(summary, skipped, !!opts.dryRun);
      }
      if (summary.errors.length) process.exitCode = 1;
    });
}

async function importAll(pipeline: IngestPipeline, items: ImportItem[], showProgress: boolean): Promise<Summary> {
  const summary: Summary = { files: items.length, stored: 0, duplicates: 0, quarantined: 0, alreadyQuarantined: 0, notReports: [], quarantineReasons: [], errors: [] };
  const bar = new SingleBar(
    { format: 'importing [{bar}] {value}/{total} | stored {stored} | duplicates {duplicates} | quarantined {quarantined}', stream: process.stderr, noTTYOutput: false },
    Presets.shades_classic,
  );
  if (showProgress && process.stderr.isTTY) bar.start(items.length, 0, { stored: 0, duplicates: 0, quarantined: 0 });
  for (const item of items) {
    try {
      const bytes = await item.load();
      const ctx = { source: 'import', receivedAt: new Date(), envelope: { importedFrom: item.label }, dkim: NOT_VERIFIED_AT_RECEIPT };
      const outcome: IngestOutcome = item.kind === 'mail' ? await pipeline.ingestMail(bytes, ctx) : await pipeline.ingestPayload(bytes, ctx);
      if (outcome.kind === 'no-report') {
        summary.notReports.push(`${item.label}: ${outcome.reason}`);
      } else {
        summary.stored += outcome.counts.stored;
        summary.duplicates += outcome.counts.duplicates;
        summary.quarantined += outcome.counts.quarantined;
        summary.alreadyQuarantined += outcome.counts.alreadyQuarantined;
        summary.quarantineReasons.push(...outcome.quarantineReasons.map((r) => `${item.label}: ${r}`));
      }
    } catch (err) {
      summary.errors.push(`${item.label}: ${err instanceof Error ? err.message : String(err)}`);
    }
    bar.increment(1, { stored: summary.stored, duplicates: summary.duplicates, quarantined: summary.quarantined });
  }
  bar.stop();
  return summary;
}

function printSummary(s: Summary, skipped: string[], dryRun: boolean): void {
  const out = (line = '') => process.stdout.write(line + '\n');
  out(`${dryRun ? 'Dry run (nothing stored): ' : ''}${s.files} message(s)/file(s) read`);
  out(`  ${dryRun ? 'parsed' : 'stored'}:       ${s.stored}`);
  if (!dryRun) out(`  duplicates:   ${s.duplicates}`);
  out(`  quarantined:  ${s.quarantined}${s.alreadyQuarantined ? ` (+${s.alreadyQuarantined} already quarantined)` : ''}`);
  out(`  not a report: ${s.notReports.length}`);
  if (s.errors.length) out(`  errors:       ${s.errors.length}`);
  const list = (title: string, lines: string[]) => {
    if (!lines.length) return;
    out(`\n${title}:`);
    for (const l of lines) out(`  ${l}`);
  };
  list('Quarantined', s.quarantineReasons);
  list('Not a report', s.notReports);
  list('Errors', s.errors);
  list('Skipped (not a mail, report or mailbox)', skipped);
}
