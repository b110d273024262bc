import { describeNextStep } from './next-steps.js';
import type { Advice } from './rollout.types.js';

function indent(text: string, prefix = '    '): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/** The advice for a person: state, verdict, blockers, proposed records and the next steps. */
export function formatAdviceText(advice: Advice, domain: string): string {
  const out: string[] = [`Domain:  ${domain}`, `State:   ${advice.state}`, `Verdict: ${advice.verdict}`];
  if (advice.removeAfter !== undefined) out.push(`Remove after: ${advice.removeAfter}`);
  out.push('');
  if (advice.blockers.length === 0) out.push('Blockers: none');
  else {
    out.push(`Blockers (${advice.blockers.length}):`);
    for (const b of advice.blockers) out.push(`  - ${b.code}: ${b.message}`);
  }
  out.push('');
  const p = advice.proposed;
  if (p === null) out.push('Proposed: nothing to publish');
  else {
    out.push(`Proposed: mode ${p.mode}, max_age ${p.maxAge}, id ${p.id}`, '  Policy file:', indent(p.policy));
    out.push(`  TXT _mta-sts.${domain}: ${p.txt}`);
    if (p.tlsrptTxt !== null) out.push(`  TXT _smtp._tls.${domain}: ${p.tlsrptTxt}`);
  }
  out.push('', 'Next steps:');
  describeNextStep(advice, domain).forEach((step, i) => {
    const [first = '', ...rest] = step.split('\n');
    out.push(`  ${i + 1}. ${first}`, ...rest.map((line) => `       ${line}`));
  });
  return out.join('\n') + '\n';
}
