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
      const entry = records.get(name);
      if (entry?.silent) return;
      if (entry === undefined) response.header.rcode = NXDOMAIN;
      else if (entry.servfail) response.header.rcode = SERVFAIL;
      else {
        // dns2's typings want a toBuffer() on answers; plain objects are what its encoder reads.
        const answer = (type: number, fields: object): void => {
          response.answers.push({ name: question.name, class: Packet.CLASS.IN, ttl: TTL, type, ...fields } as never);
        };
        if (question.type === Packet.TYPE.A) for (const address of entry.A ?? []) answer(Packet.TYPE.A, { address });
        if (question.type === Packet.TYPE.AAAA) for (const address of entry.AAAA ?? []) answer(Packet.TYPE.AAAA, { address });
        if (question.type === Packet.TYPE.MX) for (const mx of entry.MX ?? []) answer(Packet.TYPE.MX, mx);
        if (question.type === Packet.TYPE.TXT) for (const data of entry.TXT ?? []) answer(Packet.TYPE.TXT, { data });
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
