import type { AppConfig } from '@app/config';
import { checkerOptionsFrom, DomainRollout, DomainStore, normalizeDomain, rolloutSettingsFrom, type EvaluatedAdvice, type WatchedDomain } from '@app/domain-store';
import { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { CliError, withDatabase } from '../cli-context.js';

function canonical(input: string): string {
  const r = normalizeDomain(input);
  if (!r.ok) throw new CliError(r.reason, 2);
  return r.domain;
}

async function watched(store: DomainStore, domain: string): Promise<WatchedDomain> {
  const d = await store.getDomain(domain);
  if (!d) throw new CliError(`${domain} is not a watched domain; add it with: sts-pilot domain add ${domain}`, 2);
  return d;
}

function rolloutFor(ds: DataSource, config: AppConfig, store: DomainStore): DomainRollout {
  return new DomainRollout({
    store,
    settings: rolloutSettingsFrom(config),
    requireDkim: config.evidence.requireDkim,
    checker: checkerOptionsFrom(config),
    // The CLI is an edge: it runs on the wall clock, like the server without a test clock.
    now: () => new Date(),
  });
}

export function formatEvaluatedAdvice(e: EvaluatedAdvice): string {
  const lines: string[] = [];
  for (const alert of e.alerts) lines.push(`! ${alert.code}: ${alert.message}`);
  // The engine's text has its own next steps; an open transition's TXT comes before all of them.
  if (e.openTransition !== null) lines.push(`Open transition (${e.openTransition.status}): ${e.nextSteps[0]}`);
  if (lines.length > 0) lines.push('');
  lines.push(e.text.trimEnd(), '', `Evidence: ${e.evidence.note}`, `Based on the live check of ${e.basedOn.checkedAt}.`);
  return lines.join('\n') + '\n';
}

/** `sts-pilot advise <domain>`: a fresh live check (unless `check` is false), stored like the server stores it, then the advice. */
export async function runAdviseDomain(input: string, opts: { json?: boolean; check?: boolean }, write: (text: string) => void): Promise<void> {
  const domain = canonical(input);
  const result = await withDatabase(async (ds, config) => {
    const store = new DomainStore(ds);
    const d = await watched(store, domain);
    const rollout = rolloutFor(ds, config, store);
    if (opts.check !== false) return (await rollout.runCheck(d)).advice;
    const r = await rollout.evaluate(d, { trigger: 'request' });
    if (!r.ok) throw new CliError(`${r.message.replace(/: run .*$/, '')}: run sts-pilot advise ${domain} without --no-check`, 1);
    return r.value;
  });
  write(opts.json ? JSON.stringify(result) + '\n' : formatEvaluatedAdvice(result));
}

export function registerDomainCommand(program: Command): void {
  const domain = program.command('domain').description('watched domains (the rollout advisor and policy hosting work on these)');

  domain
    .command('add')
    .description('watch a domain (IDN names are stored as punycode); safe to rerun')
    .argument('<domain>', 'the policy domain, e.g. example.com')
    .action(async (input: string) => {
      const name = canonical(input);
      const r = await withDatabase((ds) => new DomainStore(ds).addDomain(name, new Date()));
      process.stdout.write(r.created ? `Now watching ${name}.\n` : `${name} was already watched.\n`);
    });

  domain
    .command('list')
    .description('list watched domains')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withDatabase((ds) => new DomainStore(ds).listDomains());
      const items = rows.map((d) => ({ domain: d.domain, createdAt: d.createdAt.toISOString() }));
      if (opts.json) return void process.stdout.write(JSON.stringify(items, null, 2) + '\n');
      process.stdout.write(items.length ? items.map((d) => `${d.domain}\twatched since ${d.createdAt}\n`).join('') : 'No watched domains.\n');
    });

  domain
    .command('remove')
    .description('stop watching a domain and delete its checks, advice, transitions and fetch log')
    .argument('<domain>')
    .action(async (input: string) => {
      const name = canonical(input);
      const removed = await withDatabase((ds) => new DomainStore(ds).deleteDomain(name));
      if (!removed) throw new CliError(`${name} is not a watched domain`, 1);
      process.stdout.write(`No longer watching ${name}.\n`);
    });
}
