// DNS side of a check: node's c-ares resolver pointed at configurable servers (host:port allowed).
import { Resolver } from 'node:dns/promises';
import type { AddressLookup, MxLookup, TxtLookup } from './checker.types.js';
import { queryTxtTtl } from './txt-ttl.js';

export const DEFAULT_DNS_TIMEOUT_MS = 5_000;

export interface DnsLookup {
  txt(name: string): Promise<TxtLookup>;
  mx(name: string): Promise<MxLookup>;
  addresses(name: string): Promise<AddressLookup>;
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(err);
}

/** "No such record" answers, as opposed to failures of the lookup itself. */
export function isNoDataError(code: string | null): boolean {
  return code === 'ENODATA' || code === 'ENOTFOUND';
}

export function createDnsLookup(servers: string[] | undefined, timeoutMs = DEFAULT_DNS_TIMEOUT_MS): DnsLookup {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers && servers.length > 0) resolver.setServers(servers);
  const firstServer = resolver.getServers()[0];
  const ttlOf = (name: string): Promise<number | null> => (firstServer ? queryTxtTtl(name, firstServer, timeoutMs) : Promise.resolve(null));

  return {
    async txt(name) {
      const started = performance.now();
      const [answer, ttl] = await Promise.all([
        resolver.resolveTxt(name).then(
          // STS-TXT-8: the strings of one record are joined with no separator.
          (found) => ({ records: found.map((strings) => strings.join('')), error: null }),
          (err: unknown) => ({ records: [] as string[], error: errorCode(err) }),
        ),
        ttlOf(name),
      ]);
      return { name, ...answer, ttl: answer.error === null ? ttl : null, elapsedMs: Math.round(performance.now() - started) };
    },
    async mx(name) {
      const started = performance.now();
      try {
        const records = (await resolver.resolveMx(name)).sort((a, b) => a.priority - b.priority || a.exchange.localeCompare(b.exchange));
        return { records, error: null, elapsedMs: Math.round(performance.now() - started) };
      } catch (err) {
        return { records: [], error: errorCode(err), elapsedMs: Math.round(performance.now() - started) };
      }
    },
    async addresses(name) {
      const started = performance.now();
      const [v4, v6] = await Promise.allSettled([resolver.resolve4(name, { ttl: true }), resolver.resolve6(name, { ttl: true })]);
      const addresses: AddressLookup['addresses'] = [];
      if (v4.status === 'fulfilled') addresses.push(...v4.value.map((a) => ({ address: a.address, family: 4 as const, ttl: a.ttl })));
      if (v6.status === 'fulfilled') addresses.push(...v6.value.map((a) => ({ address: a.address, family: 6 as const, ttl: a.ttl })));
      let error: string | null = null;
      if (addresses.length === 0) {
        const codes = [v4, v6].map((r) => (r.status === 'rejected' ? errorCode(r.reason) : 'ENODATA'));
        // A real failure (timeout, SERVFAIL) wins over "no data" so it is not mistaken for a missing host.
        error = codes.find((c) => !isNoDataError(c)) ?? codes[0];
      }
      return { name, addresses, error, elapsedMs: Math.round(performance.now() - started) };
    },
  };
}
