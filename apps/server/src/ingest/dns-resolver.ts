import { Resolver } from 'node:dns/promises';
import type { DnsTxtResolver } from '@app/ingest';

/** DKIM key lookups through the system resolver, or the DNS_SERVERS given, with a short timeout per query. */
export function systemDnsResolver(servers: string[]): DnsTxtResolver {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (servers.length) resolver.setServers(servers);
  return (name, rrtype) => resolver.resolve(name, rrtype);
}
