import type { AppConfig, ImapSourceConfig } from '@app/config';
import { dryRunWriter, IngestPipeline, type MessageWriter } from '@app/ingest';
import {
  createTokenProvider,
  pgSourceStateStore,
  syncSource,
  tryLockSource,
  type SourcePosition,
  type SourceStateStore,
  type SyncResult,
  type SyncSourceDeps,
} from '@app/imap-source';
import { ReportWriter } from '@app/store';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { CliError, cliConfig, withDatabase } from '../cli-context.js';

interface SyncOptions {
  since?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function registerImapCommand(program: Command): void {
  const imap = program.command('imap').description('mailbox sources configured in IMAP_SOURCES / IMAP_SOURCES_FILE');
  imap
    .command('sync')
    .description('one-off sync (or backfill) of a configured IMAP source, with a progress bar and a summary')
    .argument('<source>', 'the source name')
    .option('--since <date>', 'backfill: every message received since this date (YYYY-MM-DD), whatever was synced before')
    .option('--dry-run', 'read and parse; store, move, flag and remember nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (name: string, opts: SyncOptions) => {
      const config = cliConfig();
      const source = findSource(config, name);
      const since = opts.since === undefined ? undefined : parseSince(opts.since);
      const show = !opts.json && process.stderr.isTTY;
      const run = (writer: MessageWriter, state: SourceStateStore, lock?: SyncSourceDeps['lock']) =>
        syncWithProgress(source, config, { writer, state, lock, since, dryRun: !!opts.dryRun, showProgress: show });
      // A dry run opens no database: it starts from the first UID and remembers nothing.
      const result = opts.dryRun ? await run(dryRunWriter, memoryState()) : await withDatabase((ds) => run(new ReportWriter(ds), pgSourceStateStore(ds), (n) => tryLockSource(ds, n)));
      if (opts.json) {
        process.stdout.write(JSON.stringify({ source: name, dryRun: !!opts.dryRun, ...result }, null, 2) + '\n');
      } else {
        printSummary(name, result, !!opts.dryRun);
      }
      if (!result.ok) process.exitCode = 1;
    });
}

function findSource(config: AppConfig, name: string): ImapSourceConfig {
  const source = config.imapSources.find((s) => s.name === name);
  if (source) return source;
  const known = config.imapSources.map((s) => s.name);
  throw new CliError(`unknown IMAP source "${name}" (${known.length ? `configured: ${known.join(', ')}` : 'none configured: set IMAP_SOURCES or IMAP_SOURCES_FILE'})`, 2);
}

function parseSince(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== text) throw new CliError(`--since: expected a date as YYYY-MM-DD (got "${text}")`, 2);
  return d;
}

function memoryState(): SourceStateStore {
  const m = new Map<string, SourcePosition>();
  return { load: async (n) => m.get(n) ?? null, save: async (n, p) => void m.set(n, p) };
}

async function syncWithProgress(
  source: ImapSourceConfig,
  config: AppConfig,
  o: { writer: MessageWriter; state: SourceStateStore; lock?: SyncSourceDeps['lock']; since?: Date; dryRun: boolean; showProgress: boolean },
): Promise<SyncResult> {
  const pipeline = new IngestPipeline(o.writer, { limits: config.limits });
  const bar = new SingleBar(
    { format: `imap:${source.name} [{bar}] {value}/{total} | stored {stored} | duplicates {duplicates} | not a report {notReports}`, stream: process.stderr },
    Presets.shades_classic,
  );
  let started = false;
  try {
    return await syncSource(source, {
      ingest: (raw, ctx) => pipeline.ingestMail(raw, ctx),
      state: o.state,
      lock: o.lock,
      maxMessageBytes: config.limits.maxMessageBytes,
      tokens: source.oauth2 ? createTokenProvider(source.oauth2) : undefined,
      since: o.since,
      dryRun: o.dryRun,
      onStart: (total) => {
        if (!o.showProgress) return;
        bar.start(total, 0, { stored: 0, duplicates: 0, notReports: 0 });
        started = true;
      },
      onMessage: (p) => {
        if (started) bar.update(p.done, { stored: p.counts.stored, duplicates: p.counts.duplicates, notReports: p.counts.notReports });
      },
    });
  } finally {
    if (started) bar.stop();
  }
}

function printSummary(name: string, r: SyncResult, dryRun: boolean): void {
  const out = (line = '') => process.stdout.write(line + '\n');
  const c = r.counts;
  out(`${dryRun ? 'Dry run (nothing stored, moved or remembered): ' : ''}imap:${name}: ${c.messages} message(s) read`);
  out(`  ${dryRun ? 'parsed' : 'stored'}:       ${c.stored}`);
  if (!dryRun) out(`  duplicates:   ${c.duplicates}`);
  out(`  quarantined:  ${c.quarantined}${c.alreadyQuarantined ? ` (+${c.alreadyQuarantined} already quarantined)` : ''}`);
  out(`  not a report: ${c.notReports}${c.oversized ? ` (+${c.oversized} over MAX_MESSAGE_BYTES)` : ''}`);
  if (!dryRun) out(`  ${c.flagged ? 'flagged' : 'moved'}:        ${c.flagged || c.moved}`);
  out(`  errors:       ${c.errors}`);
  if (!r.ok) out(`\nError ${r.code}: ${r.message}`);
  else if (r.stopped) out('\nStopped before the end; the next sync continues where this one stopped.');
}
