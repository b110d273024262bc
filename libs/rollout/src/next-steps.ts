import { formatDays } from './rollout-time.js';
import { DEPLOYMENT_BLOCKERS, type Advice, type Blocker, type BlockerCode, type Proposal } from './rollout.types.js';

const FIXES: Record<BlockerCode, (domain: string) => string> = {
  TXT_INVALID: (d) => `Publish exactly one valid TXT record at _mta-sts.${d} of the form "v=STSv1; id=<1-32 letters or digits>".`,
  POLICY_FETCH_FAILED: (d) =>
    `Serve https://mta-sts.${d}/.well-known/mta-sts.txt with HTTP 200, no redirect, Content-Type: text/plain; charset=utf-8, and a certificate valid for mta-sts.${d}.`,
  POLICY_INVALID: () => 'Correct the policy file: "version: STSv1", "mode: ...", one "mx: ..." per line, "max_age: ..." (STS-POL rules).',
  POLICY_ID_NOT_BUMPED: (d) => `Publish a new id in the _mta-sts.${d} TXT record so that senders refetch the changed body (STS-FET-2).`,
  MX_NOT_COVERED: () => 'Add every MX host from DNS to the policy (the union of old and new patterns) before relying on it.',
  MX_INVALID: (d) => `Give ${d} MX records that name mail hosts (not a null MX, not IP addresses).`,
  MX_TLS_FAILED: () => 'Make every MX offer STARTTLS with a publicly trusted, unexpired certificate that names the MX host.',
  MX_PROBE_INCONCLUSIVE: () => 'Re-run the probe of the unverified MX from a network where port 25 is reachable.',
  TLSRPT_MISSING: (d) => `Publish one TLS-RPT record at _smtp._tls.${d} so that senders report TLS results.`,
  TESTING_TOO_SHORT: () => 'Keep the current testing policy live until the minimum testing period has passed.',
  NO_REPORTS: () => 'Wait for TLS-RPT reports about the current policy; check that the rua address receives them.',
  POLICY_NOT_SEEN: () => 'Wait until every reporting organization echoes the current policy in its reports.',
  REPORTED_POLICY_FETCH_ERRORS: () => 'Fix the policy host (certificate, status, content type), then publish a new id and watch the next reports.',
  REPORTED_TLS_FAILURES: () => 'Fix the MX hosts named in the failure reports (certificate name, expiry, chain, STARTTLS).',
};

function fixSteps(blockers: Blocker[], domain: string): string[] {
  const codes = [...new Set(blockers.map((b) => b.code))];
  return codes.map((code) => FIXES[code](domain));
}

/** What fix-deployment must fix; in enforce, silence is one of them (ROLL-15). Report gates in testing are re-judged after the fix. */
function deploymentBlockers(advice: Advice): Blocker[] {
  const proposalFixesId = advice.proposed !== null;
  return advice.blockers.filter(
    (b) =>
      (DEPLOYMENT_BLOCKERS.includes(b.code) || (advice.state === 'enforce' && b.code === 'NO_REPORTS')) &&
      !(proposalFixesId && b.code === 'POLICY_ID_NOT_BUMPED'),
  );
}

function describeMaxAge(seconds: number): string {
  return `${seconds} s (${formatDays(seconds / 86400)} days)`;
}

/** STS-FET-4 / ROLL-1: the new body first, then the new id; the TLS-RPT record can go first of all. */
function publishSteps(p: Proposal, domain: string): string[] {
  const steps: string[] = [];
  if (p.tlsrptTxt !== null) steps.push(`Publish TXT _smtp._tls.${domain}: "${p.tlsrptTxt}".`);
  steps.push(
    `Serve this policy at https://mta-sts.${domain}/.well-known/mta-sts.txt (HTTP 200, Content-Type: text/plain; charset=utf-8, no redirect):\n` +
      p.policy.replace(/\r\n$/, '').replace(/\r\n/g, '\n'),
    `Only after the new body is served, publish TXT _mta-sts.${domain}: "${p.txt}" (body first, then the id: STS-FET-4).`,
  );
  return steps;
}

function hostsIn(blockers: Blocker[]): string[] {
  const hosts = new Set<string>();
  for (const b of blockers) {
    if (b.code === 'MX_TLS_FAILED' && typeof b.evidence.host === 'string') hosts.add(b.evidence.host);
    if (b.code === 'REPORTED_TLS_FAILURES' && Array.isArray(b.evidence.hosts)) {
      for (const h of b.evidence.hosts) {
        if (h !== null && typeof h === 'object' && !Array.isArray(h) && typeof h.host === 'string') hosts.add(h.host);
      }
    }
  }
  return [...hosts];
}

/** The ordered steps an operator follows for this advice, with the exact records to publish. */
export function describeNextStep(advice: Advice, domain = '<domain>'): string[] {
  const p = advice.proposed;
  switch (advice.verdict) {
    case 'start-testing':
      if (p === null) return [...fixSteps(advice.blockers, domain), 'Run the check again; a testing policy is proposed once the MX set is usable.'];
      return [
        ...publishSteps(p, domain),
        'Leave mode: testing live for the minimum testing period and collect TLS-RPT reports before any enforce.',
      ];
    case 'fix-deployment': {
      const fixes = deploymentBlockers(advice);
      return [
        ...fixSteps(fixes, domain),
        ...(p === null ? [] : publishSteps(p, domain)),
        'Run the check again after the fix (a new id restarts the clock of the gates).',
      ];
    }
    case 'keep-testing':
      return [
        ...(p === null ? [] : publishSteps(p, domain)),
        ...fixSteps(advice.blockers, domain),
        'Keep mode: testing live and run the check again.',
      ];
    case 'ready-to-enforce':
      return [
        ...(p === null ? [] : publishSteps(p, domain)),
        'Keep the mx lines unchanged in this step (ROLL-8); watch the reports for 14 clean days before raising max_age.',
        'If failures appear, the advice turns to rollback: senders keep the cached enforce policy for up to its max_age, so fixing the MX is usually faster.',
      ];
    case 'enforced-ok':
      if (p === null) return ['Nothing to change. Keep the checks and report collection running (certificate expiry, MX drift).'];
      return [
        `Enforce has been clean: raise max_age to ${describeMaxAge(p.maxAge)} with a new id (ROLL-9).`,
        ...publishSteps(p, domain),
      ];
    case 'update-mx': {
      const uncovered = advice.blockers.filter((b) => b.code === 'MX_NOT_COVERED').map((b) => String(b.evidence.host));
      const waitFor = p === null ? 'the current max_age' : describeMaxAge(p.maxAge);
      return [
        ...(p === null
          ? [`Make ${uncovered.join(', ')} probe clean (STARTTLS and a valid certificate for its name) so that it can be added to the policy.`]
          : [
              `Step 1 (ROLL-10, ROLL-11): publish the union of the old patterns and ${uncovered.join(', ')} now; enforcing senders defer mail to an uncovered MX until they fetch it.`,
              ...publishSteps(p, domain),
            ]),
        `Step 2: wait at least ${waitFor} (the previous max_age) so that every cached policy lists the new hosts.`,
        'Step 3: only then switch the MX records in DNS (remove the hosts being retired), and probe each new MX (pattern, STARTTLS, certificate).',
        'Step 4: after the MX TTL and a few clean report days, prune the patterns no longer in DNS (new body first, then a new id).',
      ];
    }
    case 'rollback': {
      const hosts = hostsIn(advice.blockers);
      const named = hosts.length > 0 ? hosts.join(', ') : 'the failing MX';
      return [
        `Fixing the certificate or STARTTLS on ${named} is faster than a rollback: senders keep the cached enforce policy for up to its max_age (ROLL-12).`,
        ...(p === null ? [] : ['If it cannot be fixed at once, roll back to testing:', ...publishSteps(p, domain)]),
        'Mail to the failing MX may be deferred until senders re-check; senders that do not refresh keep enforcing until their cached max_age expires.',
        'After the fix, go through the testing gates again before returning to enforce.',
      ];
    }
    case 'retire-wait':
      return [
        `Keep the _mta-sts.${domain} TXT record and the mode: none policy served until ${advice.removeAfter ?? 'the removal time'} (ROLL-14).`,
        ...fixSteps(advice.blockers, domain),
        'Run the check again after that time.',
      ];
    case 'safe-to-remove':
      return [
        `Every cached policy has expired (${advice.removeAfter ?? 'now'}): delete the _mta-sts.${domain} TXT record, then stop serving mta-sts.${domain}.`,
        `The _smtp._tls.${domain} record may stay if you still want TLS reports.`,
      ];
  }
}
