// A whole MTA-STS deployment on loopback for one test: DNS zone, policy host and MX hosts.
// Each MX gets its own loopback address (127.0.0.2, .3, ...) so all can share one SMTP port.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { CheckerOptions } from '../checker.types.js';
import { startDnsServer, type DnsFixture, type Zone } from './dns-fixture.js';
import { startPolicyServer, type PolicyHandler, type PolicyResponse, type PolicyServer } from './https-fixture.js';
import { startSilentServer, startSmtpServer, type SmtpFixture } from './smtp-fixture.js';
import { createTestCa, type KeyAndCert, type TestCa } from './test-ca.js';

/** `{ names }`: a CA-issued certificate for exactly those names (e.g. a provider's host under delegation). */
export type CertKind = 'good' | 'expired' | 'wrong-name' | 'self-signed' | { expiringInDays: number } | { names: string[] };

export interface FixtureMx {
  host: string;
  priority?: number;
  /** `starttls` (default), `no-starttls`, `silent` (never answers), `greylist` (421 greeting), `refused` (nothing listens). */
  behaviour?: 'starttls' | 'no-starttls' | 'silent' | 'greylist' | 'refused';
  cert?: CertKind;
}

export interface DeploymentOptions {
  domain: string;
  mx: FixtureMx[];
  /** Served with 200 text/plain unless `policyResponse` says otherwise. Default: mode testing over the MX hosts, max_age 86400. */
  policyBody?: string;
  policyResponse?: PolicyResponse | PolicyHandler;
  policyCert?: CertKind;
  /** TXT at `_mta-sts.<domain>`; null: no such name. Default one `v=STSv1; id=20260101000000`. */
  mtaStsTxt?: Array<string | string[]> | null;
  /** TXT at `_smtp._tls.<domain>`; null: no such name. */
  tlsrptTxt?: Array<string | string[]> | null;
  /** Entries replacing or adding whole names in the generated zone. */
  zone?: Zone;
  /** Reuse one CA across tests (key generation is the slow part). */
  ca?: TestCa;
}

export interface FixtureDeployment {
  domain: string;
  ca: TestCa;
  dns: DnsFixture;
  zone: Zone;
  policyServer: PolicyServer;
  /** By MX host name; absent for `refused` MX hosts. */
  mxServers: Record<string, SmtpFixture>;
  /** Ready for `checkDomain`: loopback DNS, the test CA, the ports, private addresses allowed, short timeouts. */
  options: CheckerOptions;
  stop(): Promise<void>;
}

export const DEFAULT_FIXTURE_TXT = 'v=STSv1; id=20260101000000';
export const DEFAULT_FIXTURE_TLSRPT = 'v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.net';

export function testingPolicy(mx: string[], maxAge = 86_400, mode = 'testing'): string {
  return ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), `max_age: ${maxAge}`, ''].join('\r\n');
}

export function certFor(ca: TestCa, host: string, kind: CertKind): KeyAndCert {
  if (typeof kind === 'object') return 'names' in kind ? ca.issue({ names: kind.names }) : ca.expiringInDays(host, kind.expiringInDays);
  if (kind === 'expired') return ca.expired(host);
  if (kind === 'wrong-name') return ca.wrongName(host);
  if (kind === 'self-signed') return ca.selfSigned(host);
  return ca.good(host);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startMxServers(ca: TestCa, mx: FixtureMx[], addressOf: (i: number) => string): Promise<{ port: number; servers: Record<string, SmtpFixture> }> {
  for (let attempt = 0; ; attempt++) {
    const servers: Record<string, SmtpFixture> = {};
    let port = 0;
    try {
      for (const [i, m] of mx.entries()) {
        const behaviour = m.behaviour ?? 'starttls';
        if (behaviour === 'refused') continue;
        const address = addressOf(i);
        servers[m.host] =
          behaviour === 'silent'
            ? await startSilentServer({ address, port })
            : await startSmtpServer({
                address,
                port,
                tls: behaviour === 'no-starttls' ? 'none' : certFor(ca, m.host, m.cert ?? 'good'),
                greylist: behaviour === 'greylist',
              });
        port = servers[m.host].port;
      }
      return { port: port || (await freePort()), servers };
    } catch (err) {
      await Promise.all(Object.values(servers).map((s) => s.stop()));
      // The shared port may already be taken on another loopback address: start over with a new one.
      if ((err as { code?: string }).code !== 'EADDRINUSE' || attempt >= 5) throw err;
    }
  }
}

export async function startFixtureDeployment(opts: DeploymentOptions): Promise<FixtureDeployment> {
  const d = opts.domain.toLowerCase();
  const ca = opts.ca ?? createTestCa();
  const policyHost = `mta-sts.${d}`;
  const addressOf = (i: number): string => `127.0.0.${i + 2}`;
  const policyServer = await startPolicyServer({
    tls: certFor(ca, policyHost, opts.policyCert ?? 'good'),
    response: opts.policyResponse ?? { body: opts.policyBody ?? testingPolicy(opts.mx.map((m) => m.host)) },
  });
  const mx = await startMxServers(ca, opts.mx, addressOf);
  const zone: Zone = {
    [d]: { MX: opts.mx.map((m, i) => ({ exchange: m.host, priority: m.priority ?? (i + 1) * 10 })) },
    [policyHost]: { A: [policyServer.address] },
  };
  if (opts.mtaStsTxt !== null) zone[`_mta-sts.${d}`] = { TXT: opts.mtaStsTxt ?? [DEFAULT_FIXTURE_TXT] };
  if (opts.tlsrptTxt !== null) zone[`_smtp._tls.${d}`] = { TXT: opts.tlsrptTxt ?? [DEFAULT_FIXTURE_TLSRPT] };
  opts.mx.forEach((m, i) => {
    zone[m.host.toLowerCase()] = { A: [addressOf(i)] };
  });
  Object.assign(zone, opts.zone ?? {});
  const dns = await startDnsServer(zone);
  return {
    domain: d,
    ca,
    dns,
    zone,
    policyServer,
    mxServers: mx.servers,
    options: {
      dnsServers: [dns.server],
      caCerts: [ca.caCert],
      httpsPort: policyServer.port,
      smtpPort: mx.port,
      allowPrivateAddresses: true,
      // Generous enough for a loaded CI machine; tests of unanswered hosts pass shorter limits.
      dnsTimeoutMs: 2_000,
      httpsTimeoutMs: 5_000,
      smtpTimeoutMs: 3_000,
    },
    stop: async () => {
      await Promise.all([dns.stop(), policyServer.stop(), ...Object.values(mx.servers).map((s) => s.stop())]);
    },
  };
}
