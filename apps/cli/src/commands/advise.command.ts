import { readFile } from 'node:fs/promises';
import { adviseFromScenario, formatAdviceText } from '@app/rollout';
import { Command } from 'commander';
import { CliError } from '../cli-context.js';
import { runAdviseDomain } from './domain.command.js';

interface AdviseOptions {
  scenario?: string;
  json?: boolean;
  /** `--no-check`: advise from the stored check instead of running a fresh one (domain mode). */
  check?: boolean;
}

async function readScenario(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read scenario ${file}: ${err instanceof Error ? err.message : String(err)}`, 2);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`scenario ${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`, 2);
  }
}

export async function runAdvise(opts: AdviseOptions, write: (text: string) => void): Promise<void> {
  if (opts.scenario === undefined) throw new CliError('advise needs --scenario <file> or a <domain>', 2);
  const json = await readScenario(opts.scenario);
  const result = adviseFromScenario(json);
  if (!result.ok) throw new CliError(`scenario ${opts.scenario} is invalid: ${result.issues.join('; ')}`, 2);
  if (opts.json) {
    write(JSON.stringify(result.advice) + '\n');
    return;
  }
  const domain = (json as { domain: string }).domain;
  let text = formatAdviceText(result.advice, domain);
  if (result.skippedReports.length > 0) {
    const skipped = result.skippedReports.map((s) => `  - report #${s.index}: ${s.code} (${s.reason})`);
    text += `\n${result.skippedReports.length} report(s) could not be parsed and were not used as evidence:\n${skipped.join('\n')}\n`;
  }
  write(text);
}

export function registerAdviseCommand(program: Command): void {
  program
    .command('advise')
    .description('advise the next MTA-STS rollout step (mode testing -> enforce) from the evidence')
    .argument('[domain]', 'a watched domain: run a live check, store it and advise from the stored reports')
    .option('--scenario <file>', 'evaluate a scenario file (shared/scenarios/FORMAT.md) instead of stored data')
    .option('--json', 'print exactly one JSON advice object')
    .option('--no-check', 'with <domain>: advise from the latest stored check, without a new live check')
    .action(async (domain: string | undefined, opts: AdviseOptions) => {
      const write = (text: string) => process.stdout.write(text);
      if (domain !== undefined && opts.scenario !== undefined) throw new CliError('give either a <domain> or --scenario <file>, not both', 2);
      if (domain !== undefined) return runAdviseDomain(domain, opts, write);
      await runAdvise(opts, write);
    });
}
