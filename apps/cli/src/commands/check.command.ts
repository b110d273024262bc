import { Resolver } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { checkDomain, type CheckerOptions, type CheckResult } from '@app/sts-checker';
import { Command } from 'commander';
import { CliError } from '../cli-context.js';

export interface CheckCommandOptions {
  dnsServer?: string[];
  caFile?: string;
  smtpPort?: string;
  httpsPort?: string;
  allowPrivate?: boolean;
  timeout?: string;
  json?: boolean;
}

export interface CheckOutput {
  out: (text: string) => void;
}

function positiveInteger(text: string | undefined, option: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = /^[0-9]+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new CliError(`${option} must be a whole number from 1 to ${max}, got ${JSON.stringify(text)}`, 2);
  return n;
}

async function readCaFile(file: string | undefined): Promise<string[] | undefined> {
  if (file === undefined) return undefined;
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read --ca-file ${file}: ${err instanceof Error ? err.message : String(err)}`, 2);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new CliError(`--ca-file ${file} contains no PEM certificate`, 2);
  return [pem];
}

function dnsServers(servers: string[] | undefined): string[] | undefined {
  if (servers === undefined) return undefined;
  try {
    new Resolver().setServers(servers);
  } catch {
    throw new CliError(`--dns-server takes IP addresses with an optional port (127.0.0.1:5353, [::1]:53), got ${servers.map((s) => JSON.stringify(s)).join(', ')}`, 2);
  }
  return servers;
}

export async function checkerOptions(opts: CheckCommandOptions): Promise<CheckerOptions> {
  const timeout = positiveInteger(opts.timeout, '--timeout', 600_000);
  const options: CheckerOptions = {
    dnsServers: dnsServers(opts.dnsServer),
    caCerts: await readCaFile(opts.caFile),
    smtpPort: positiveInteger(opts.smtpPort, '--smtp-port', 65_535),
    httpsPort: positiveInteger(opts.httpsPort, '--https-port', 65_535),
    allowPrivateAddresses: opts.allowPrivate === true,
  };
  if (timeout !== undefined) {
    options.httpsTimeoutMs = timeout;
    options.smtpTimeoutMs = timeout;
    options.dnsTimeoutMs = Math.min(timeout, 10_000);
  }
  return options;
}

export function formatCheckText(r: CheckResult): string {
  const lines = [`MTA-STS check of ${r.domain} at ${r.checkedAt} (${r.elapsedMs} ms)`, ''];
  if (r.findings.length === 0) lines.push('No findings.');
  else {
    const codeWidth = Math.max(4, ...r.findings.map((f) => f.code.length));
    lines.push(`${'SEVERITY'.padEnd(9)}${'CODE'.padEnd(codeWidth + 2)}MESSAGE`);
    for (const f of r.findings) lines.push(`${f.severity.padEnd(9)}${f.code.padEnd(codeWidth + 2)}${f.message}`);
  }
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.filter((f) => f.severity === 'warn').length;
  lines.push('', `${errors} errors, ${warnings} warnings`);
  return `${lines.join('\n')}\n`;
}

/** Prints the result; throws CliError (exit 1) when any finding is an error. */
export async function runCheck(domain: string, opts: CheckCommandOptions, io: CheckOutput): Promise<CheckResult> {
  const result = await checkDomain(domain, await checkerOptions(opts));
  io.out(opts.json ? `${JSON.stringify(result)}\n` : formatCheckText(result));
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  if (errors > 0) throw new CliError(`check: ${errors} error(s) in the MTA-STS deployment of ${result.domain}`, 1);
  return result;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('check the live MTA-STS deployment of a domain: DNS records, policy fetch, STARTTLS on every MX')
    .argument('<domain>', 'policy domain, e.g. example.com')
    .option('--dns-server <host:port>', 'DNS server to ask instead of the system resolvers (repeatable)', collect)
    .option('--ca-file <path>', 'extra trusted CA certificates (PEM), added to the system roots')
    .option('--smtp-port <n>', 'SMTP port of the MX hosts (default 25)')
    .option('--https-port <n>', 'HTTPS port of the policy host (default 443)')
    .option('--allow-private', 'allow connecting to loopback, private and link-local addresses')
    .option('--timeout <ms>', 'time limit per policy fetch and per MX probe (default 60000 / 30000)')
    .option('--json', 'print the whole check result as one JSON object')
    .action(async (domain: string, opts: CheckCommandOptions) => {
      await runCheck(domain, opts, { out: (t) => process.stdout.write(t) });
    });
}
