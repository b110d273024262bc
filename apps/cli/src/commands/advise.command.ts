import { readFile } from 'node:fs/promises';
import { adviseFromScenario, formatAdviceText } from '@app/rollout';
import { Command } from 'commander';
import { CliError } from '../cli-context.js';

interface AdviseOptions {
  scenario?: string;
  json?: boolean;
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
  if (opts.scenario === undefined) throw new CliError('advise needs --scenario <file>', 2);
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
    .option('--scenario <file>', 'evaluate a scenario file (shared/scenarios/FORMAT.md) instead of stored data')
    .option('--json', 'print exactly one JSON advice object')
    .action(async (opts: AdviseOptions) => {
      await runAdvise(opts, (text) => process.stdout.write(text));
    });
}
