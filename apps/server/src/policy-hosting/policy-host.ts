import { normalizeDomain } from '@app/domain-store';

const PREFIX = 'mta-sts.';

/** The policy domain a `Host` of `mta-sts.<domain>` asks for (STS-FET: the policy host name), or null. */
export function policyDomainOfHost(host: string | undefined): string | null {
  if (!host) return null;
  const name = host.toLowerCase().replace(/\.$/, '');
  if (!name.startsWith(PREFIX)) return null;
  const r = normalizeDomain(name.slice(PREFIX.length));
  return r.ok ? r.domain : null;
}
