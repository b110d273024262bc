import { compactClosedMonths, rebuildRollups, refreshStaleMonths } from '@app/store';
import { Command } from 'commander';
import { CliError, withDatabase } from '../cli-context.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function registerRollupsCommand(program: Command): void {
  const rollups = program.command('rollups').description('daily dashboard rollups');
  rollups
    .command('rebuild')
    .description('recompute the daily rollups from the stored reports (one transaction; safe while the server runs)')
    .option('--from <day>', 'first day to rebuild (YYYY-MM-DD, UTC); default: the earliest')
    .option('--to <day>', 'last day to rebuild, included; default: the latest')
    .option('--json', 'print the row counts as JSON')
    .action(async (opts: { from?: string; to?: string; json?: boolean }) => {
      for (const [name, value] of [['--from', opts.from], ['--to', opts.to]] as const) {
        if (value !== undefined && (!DAY.test(value) || Number.isNaN(Date.parse(value)))) throw new CliError(`${name}: "${value}" is not a day as YYYY-MM-DD`, 2);
      }
      if (opts.from && opts.to && opts.from > opts.to) throw new CliError('--from must not be after --to', 2);
      const r = await withDatabase((ds) => rebuildRollups(ds, { from: opts.from, to: opts.to }));
      if (opts.json) return void process.stdout.write(JSON.stringify(r) + '\n');
      process.stdout.write(`Rebuilt rollups: ${r.policyRows} policy row(s), ${r.failureRows} failure row(s), ${r.dimensionRows} dimension value(s).\n`);
      if (r.keptFailureDays.length) {
        process.stdout.write(`Kept the failure rollups of ${r.keptFailureDays.length} day(s) whose failure details retention has deleted (${r.keptFailureDays[0]} … ${r.keptFailureDays.at(-1)}).\n`);
      }
    });
  rollups
    .command('refresh')
    .description('recompute the rows of ended months ingest has marked stale, from their daily rows (the server does it hourly)')
    .option('--json', 'print the count as JSON')
    .action(async (opts: { json?: boolean }) => {
      const r = await withDatabase((ds) => refreshStaleMonths(ds, { now: new Date() }));
      if (opts.json) return void process.stdout.write(JSON.stringify(r) + '\n');
      process.stdout.write(`Refreshed ${r.months} month row(s) of ended months from their days.\n`);
    });
  rollups
    .command('compact')
    .description('store the breakdown lists of ended months ready to send (the server does it hourly; run it after a backfill or a rebuild)')
    .option('--json', 'print the count as JSON')
    .action(async (opts: { json?: boolean }) => {
      const r = await withDatabase((ds) => compactClosedMonths(ds, { now: new Date() }));
      if (opts.json) return void process.stdout.write(JSON.stringify(r) + '\n');
      process.stdout.write(`Compacted ${r.months} month row(s) of ended months.\n`);
    });
}
