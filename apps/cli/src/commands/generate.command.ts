import { generateRecords, ROLLOUT_STAGES, type Finding, type GeneratedRecords, type RolloutStage, type StsMode } from '@app/mta-sts';
import { Command, Option } from 'commander';
import { CliError } from '../cli-context.js';

export interface GenerateOptions {
  mx?: string[];
  mode?: StsMode;
  stage?: RolloutStage;
  maxAge?: string;
  reportAddress?: string;
  usedId?: string[];
  txtTtl?: string;
  json?: boolean;
}

export interface GenerateOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `  ${f.severity.padEnd(5)} ${f.code}${f.rule ? ` (${f.rule})` : ''}: ${f.message}\n`).join('');
}

/** Whole seconds typed on the command line; anything else becomes a refusal naming the text. */
function seconds(text: string | undefined, code: string, what: string, findings: Finding[]): number | undefined {
  if (text === undefined) return undefined;
  if (/^[0-9]+$/.test(text.trim())) return Number(text.trim());
  findings.push({ code, severity: 'error', message: `The ${what} ${JSON.stringify(text)} is not a whole number of seconds.`, rule: 'STS-POL-14' });
  return undefined;
}

function formatText(domain: string, v: GeneratedRecords, findings: Finding[]): string {
  const sections = [
    `MTA-STS records for ${domain} (mode ${v.policy.mode}, max_age ${v.policy.maxAge}, id ${v.id})`,
    '',
    `== Policy file: serve at ${v.policyUrl}`,
    '   (HTTP 200, Content-Type: text/plain; charset=utf-8, no redirect; CRLF line endings)',
    v.policyBody.replace(/\r\n/g, '\n').trimEnd(),
    '',
    `== _mta-sts.${domain} TXT (publish only after the policy file above is served)`,
    v.stsTxt,
    '',
    `== _smtp._tls.${domain} TXT`,
    v.tlsRptTxt ?? '(none: pass --report-address to publish a TLS-RPT record)',
    '',
    '== Zone file snippet (BIND)',
    v.zoneSnippet.trimEnd(),
    '',
  ];
  if (findings.length > 0) sections.push('== Findings', formatFindings(findings).trimEnd(), '');
  return `${sections.join('\n')}\n`;
}

export function runGenerate(domain: string, opts: GenerateOptions, io: GenerateOutput, now: Date): void {
  const inputFindings: Finding[] = [];
  const maxAge = seconds(opts.maxAge, 'MAX_AGE_INVALID', 'max_age', inputFindings);
  const txtTtl = seconds(opts.txtTtl, 'TXT_TTL_INVALID', 'TXT TTL', inputFindings);
  const result = generateRecords({
    domain,
    mx: opts.mx ?? [],
    mode: opts.mode,
    stage: opts.stage,
    maxAge,
    reportAddress: opts.reportAddress,
    usedIds: opts.usedId,
    txtTtl,
    now,
  });
  const findings = [...inputFindings, ...result.findings];
  if (!result.ok || inputFindings.length > 0) {
    if (opts.json) io.out(`${JSON.stringify({ ok: false, domain, findings })}\n`);
    else io.err(`sts-pilot generate refused the input for ${JSON.stringify(domain)}:\n${formatFindings(findings)}`);
    throw new CliError(`generate: ${findings.filter((f) => f.severity === 'error').length} problem(s) in the input`, 2);
  }
  const v = result.value;
  const shownDomain = v.policyUrl.slice('https://mta-sts.'.length, -'/.well-known/mta-sts.txt'.length);
  if (opts.json) io.out(`${JSON.stringify({ ok: true, domain: shownDomain, ...v, findings })}\n`);
  else io.out(formatText(shownDomain, v, findings));
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('generate an MTA-STS policy file, _mta-sts TXT, _smtp._tls TXT and a BIND zone snippet (no network)')
    .argument('<domain>', 'policy domain, e.g. example.com')
    .option('--mx <pattern...>', 'mx patterns (host names or *.domain), one per MX; none only with --mode none')
    .addOption(new Option('--mode <mode>', 'policy mode').choices(['testing', 'enforce', 'none']))
    .addOption(new Option('--stage <stage>', 'rollout stage (sets mode and default max_age)').choices([...ROLLOUT_STAGES]))
    .option('--max-age <seconds>', 'policy max_age in seconds (1..31557600); default from the stage')
    .option('--report-address <address>', 'TLS-RPT rua target, e.g. tlsrpt@reports.example.net or an https: URL')
    .option('--used-id <id...>', 'policy ids already published for this domain, never reused')
    .option('--txt-ttl <seconds>', 'TTL for the TXT lines of the zone snippet', '3600')
    .option('--json', 'print one JSON object instead of text')
    .action((domain: string, opts: GenerateOptions) => {
      runGenerate(domain, opts, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }, new Date());
    });
}
