// Authoritative DNS on 127.0.0.1 (real protocol, UDP, via dns2) serving a zone a test defines.
import dns2 from 'dns2';

export interface MxRecord {
  exchange: string;
  priority: number;
}

export interface ZoneEntry {
  A?: string[];
  AAAA?: string[];
  MX?: MxRecord[];
  /** A string is one TXT record; an array is one record made of several strings (STS-TXT-8). */
  TXT?: Array<string | string[]>;
  /** TTL of every record of this name; default 300. */
  ttl?: number;
  /** Alias: queries are answered with the CNAME chain plus the target's records (as a recursive resolver does). */
  CNAME?: string;
  /** Answer every query for this name with SERVFAIL. */
  servfail?: boolean;
  /** Never answer queries for this name (the resolver times out). */
  silent?: boolean;
}

/** Names without trailing dot, any case. A name absent from the zone is NXDOMAIN. */
export type Zone = Record<string, ZoneEntry>;

export interface DnsFixture {
  /** `127.0.0.1:<port>`, ready for `dnsServers`. */
  server: string;
  port: number;
  /** Every question received, as `<name> <type number>`, in arrival order. */
  queries: string[];
  /** Replace the served zone (e.g. between steps of one test). */
  setZone(zone: Zone): void;
  stop(): Promise<void>;
}

const TTL = 300;
/** RFC 1035 §4.1.1 response codes (dns2's typings omit Packet.RCODE). */
const SERVFAIL = 2;
const NXDOMAIN = 3;

function normalize(zone: Zone): Map<string, ZoneEntry> {
  return new Map(Object.entries(zone).map(([name, entry]) => [name.toLowerCase().replace(/\.$/, ''), entry]));
}

export async function startDnsServer(zone: Zone): Promise<DnsFixture> {
  const { Packet } = dns2;
  let records = normalize(zone);
  const queries: string[] = [];
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const name = question.name.toLowerCase();
      queries.push(`${name} ${question.type}`);
      // Answer like a recursive resolver: follow CNAMEs inside the zone and return the whole chain.
      let owner = name;
      let entry = records.get(owner);
      const chain: Array<{ owner: string; target: string }> = [];
      while (entry?.CNAME !== undefined && question.type !== Packet.TYPE.CNAME && chain.length < 8) {
        const target = entry.CNAME.toLowerCase().replace(/\.$/, '');
        chain.push({ owner, target });
        owner = target;
        entry = records.get(owner);
      }
      if (entry?.silent) return;
      // dns2's typings want a toBuffer() on answers; plain objects are what its encoder reads.
      const answer = (rrName: string, type: number, fields: object): void => {
        const ttl = records.get(rrName)?.ttl ?? TTL;
        response.answers.push({ name: rrName, class: Packet.CLASS.IN, ttl, type, ...fields } as never);
      };
      for (const link of chain) answer(link.owner, Packet.TYPE.CNAME, { domain: link.target });
      if (entry === undefined) response.header.rcode = NXDOMAIN;
      else if (entry.servfail) response.header.rcode = SERVFAIL;
      else {
        if (question.type === Packet.TYPE.A) for (const address of entry.A ?? []) answer(owner, Packet.TYPE.A, { address });
        if (question.type === Packet.TYPE.AAAA) for (const address of entry.AAAA ?? []) answer(owner, Packet.TYPE.AAAA, { address });
        if (question.type === Packet.TYPE.MX) for (const mx of entry.MX ?? []) answer(owner, Packet.TYPE.MX, mx);
        if (question.type === Packet.TYPE.TXT) for (const data of entry.TXT ?? []) answer(owner, Packet.TYPE.TXT, { data });
        if (question.type === Packet.TYPE.CNAME && entry.CNAME !== undefined) answer(owner, Packet.TYPE.CNAME, { domain: entry.CNAME });
      }
      send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = addresses.udp?.port;
  if (port === undefined) throw new Error('the DNS fixture did not get a UDP port');
  return {
    server: `127.0.0.1:${port}`,
    port,
    queries,
    setZone: (next) => {
      records = normalize(next);
    },
    stop: () => server.close(),
  };
}
