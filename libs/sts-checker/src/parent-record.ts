// CHK-15 / STS-TXT-1: a mail-receiving subdomain needs its own `_mta-sts` record; senders never fall back to a
// parent zone, so a policy published only at the parent does not protect the subdomain.
import { getDomain } from 'tldts';
import type { Finding } from '@app/mta-sts';
import type { DnsLookup } from './dns-lookup.js';
import { finding } from './finding.js';

/** Parent names of `name` up to and including its registrable domain, nearest first (`a.b.example.com` → `b.example.com`, `example.com`). */
export function parentsUpToRegistrable(name: string): string[] {
  const registrable = getDomain(name);
  if (!registrable || registrable === name || !name.endsWith(`.${registrable}`)) return [];
  const labels = name.split('.');
  const parents: string[] = [];
  for (let i = 1; i < labels.length; i++) {
    const parent = labels.slice(i).join('.');
    parents.push(parent);
    if (parent === registrable) break;
  }
  return parents;
}

export async function parentOnlyRecordFinding(dns: DnsLookup, name: string, ownStsTxt: string[], mxHosts: string[]): Promise<Finding | null> {
  if (ownStsTxt.some((r) => r.startsWith('v=STSv1')) || mxHosts.length === 0) return null;
  for (const parent of parentsUpToRegistrable(name)) {
    const lookup = await dns.txt(`_mta-sts.${parent}`);
    if (lookup.records.some((r) => r.startsWith('v=STSv1'))) {
      return finding(
        'warn',
        'TXT_ONLY_ON_PARENT',
        `${parent} publishes an MTA-STS record but ${name}, which receives mail (MX ${mxHosts.join(', ')}), has no _mta-sts.${name} record of its own; senders never fall back to a parent zone, so ${name} is unprotected.`,
        'CHK-15',
      );
    }
  }
  return null;
}
