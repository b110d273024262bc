import type { Finding } from '@app/mta-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDomain } from './check-domain.js';
import type { CheckerOptions, CheckResult } from './checker.types.js';
import {
  createTestCa,
  DEFAULT_FIXTURE_TXT,
  startFixtureDeployment,
  testingPolicy,
  type DeploymentOptions,
  type FixtureDeployment,
  type TestCa,
} from './testing/index.js';

const D = 'example.test';
const MX1 = 'mx1.example.test';
const MX2 = 'mx2.example.test';
const LIVE_ID = DEFAULT_FIXTURE_TXT.slice('v=STSv1; id='.length);

function codes(findings: Finding[]): string[] {
  return findings.map((f) => (f.detail ? `${f.code}/${f.detail}` : f.code));
}

function errors(r: CheckResult): string[] {
  return codes(r.findings.filter((f) => f.severity === 'error'));
}

function only(r: CheckResult, code: string): Finding[] {
  return r.findings.filter((f) => f.code === code);
}

describe('checkDomain against a live deployment on loopback', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = createTestCa();
  });

  async function check(
    opts: Partial<DeploymentOptions> & { mx?: DeploymentOptions['mx'] },
    extra: Partial<CheckerOptions> = {},
  ): Promise<{ r: CheckResult; dep: FixtureDeployment }> {
    const dep = await startFixtureDeployment({ domain: D, mx: [{ host: MX1 }, { host: MX2 }], ca, ...opts });
    try {
      const r = await checkDomain(D, { ...dep.options, ...extra });
      return { r, dep };
    } finally {
      await dep.stop();
    }
  }

  describe('CHK-15 / STS-TXT-1: a subdomain that receives mail needs its own record', () => {
    it('warns when only the parent zone publishes _mta-sts', async () => {
      const sub = 'mail.example.com';
      const dep = await startFixtureDeployment({
        domain: sub,
        mx: [{ host: 'mx1.mail.example.com' }],
        ca,
        mtaStsTxt: null,
        zone: { '_mta-sts.example.com': { TXT: [DEFAULT_FIXTURE_TXT] } },
      });
      try {
        const r = await checkDomain(sub, dep.options);
        const f = r.findings.find((x) => x.code === 'TXT_ONLY_ON_PARENT');
        expect(f).toMatchObject({ severity: 'warn', rule: 'CHK-15' });
        expect(f!.message).toContain('example.com publishes an MTA-STS record but mail.example.com');
        expect(codes(r.findings)).toContain('TXT_INVALID/TXT_MISSING');
      } finally {
        await dep.stop();
      }
    });

    it('says nothing when the subdomain has its own record', async () => {
      const dep = await startFixtureDeployment({ domain: 'mail.example.com', mx: [{ host: 'mx1.mail.example.com' }], ca, zone: { '_mta-sts.example.com': { TXT: [DEFAULT_FIXTURE_TXT] } } });
      try {
        const r = await checkDomain('mail.example.com', dep.options);
        expect(codes(r.findings)).not.toContain('TXT_ONLY_ON_PARENT');
      } finally {
        await dep.stop();
      }
    });
  });

  describe('a correct deployment', () => {
    it('ROLL-7: testing policy, two good MX, TLS-RPT: no findings, and `observed` in the scenario shape', async () => {
      const { r, dep } = await check({});
      expect(r.findings).toEqual([]);
      expect(r.observed).toEqual({
        mx: [MX1, MX2],
        mtaStsTxt: [DEFAULT_FIXTURE_TXT],
        tlsrptTxt: ['v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.net'],
        policyFetch: { status: 200, contentType: 'text/plain; charset=utf-8', redirected: false, certValid: true, body: testingPolicy([MX1, MX2]) },
        mxProbes: [
          { host: MX1, starttls: true, certValid: true, certNames: [MX1], error: null },
          { host: MX2, starttls: true, certValid: true, certNames: [MX2], error: null },
        ],
      });
      expect(r.domain).toBe(D);
      expect(Number.isNaN(Date.parse(r.checkedAt))).toBe(false);
      expect(r.details.policyHost.addresses).toEqual([{ address: '127.0.0.1', family: 4, ttl: 300 }]);
      expect([r.details.mtaStsTxt.ttl, r.details.tlsrptTxt.ttl]).toEqual([300, 300]);
      expect(r.details.policyFetch.cert?.notAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(r.details.mxProbes.map((p) => [p.host, p.address, p.priority])).toEqual([
        [MX1, '127.0.0.2', 10],
        [MX2, '127.0.0.3', 20],
      ]);
      expect(dep.mxServers[MX1].servernames).toEqual([MX1]);
      expect(dep.policyServer.requests).toEqual([{ path: '/.well-known/mta-sts.txt', host: `mta-sts.${D}`, servername: `mta-sts.${D}` }]);
    });

    it('ROLL-9: enforce with a steady max_age and the same policy as last time has no findings', async () => {
      const body = testingPolicy([MX1, MX2], 1_209_600, 'enforce');
      const { r } = await check({ policyBody: body }, { previous: { id: LIVE_ID, policyBody: body.replace(/\r\n/g, '\n') } });
      expect(r.findings).toEqual([]);
    });

    it('STS-TXT-8: a TXT record split into several strings is joined before parsing', async () => {
      const { r } = await check({ mtaStsTxt: [['v=STSv1; id=2026', '0101000000']] });
      expect(r.observed.mtaStsTxt).toEqual([DEFAULT_FIXTURE_TXT]);
      expect(r.findings).toEqual([]);
    });
  });

  describe('spec myths are not enforced (spec notes §8.2)', () => {
    it('mode none without mx, fields in any order, a 2000-byte line and a short max_age are not errors', async () => {
      const none = await check({ policyBody: 'max_age: 86400\nmode: none\nversion: STSv1\n' });
      expect(errors(none.r)).toEqual([]);
      const long = await check({ policyBody: `version: STSv1\nmode: testing\nmx: ${MX1}\nmx: ${MX2}\nmax_age: 3600\nnote: ${'x'.repeat(2000)}\n` });
      expect(errors(long.r)).toEqual([]);
      expect(codes(long.r.findings)).toEqual(['MAX_AGE_SHORT']);
    });

    it('STS-POL-13: a wildcard covering exactly one label is fine', async () => {
      const { r } = await check({ policyBody: testingPolicy(['*.mail.example.net']), mx: [{ host: 'a.mail.example.net' }, { host: 'b.mail.example.net' }] });
      expect(r.findings).toEqual([]);
    });
  });

  describe('_mta-sts and _smtp._tls records', () => {
    it('CHK-10 / STS-TXT-7: two v=STSv1 records', async () => {
      const { r } = await check({ mtaStsTxt: [DEFAULT_FIXTURE_TXT, 'v=STSv1; id=20260202000000'] });
      expect(errors(r)).toEqual(['TXT_INVALID/TXT_SEVERAL']);
    });

    it('CHK-10 / STS-TXT-4: an id with "-" is malformed', async () => {
      const { r } = await check({ mtaStsTxt: ['v=STSv1; id=2026-01-01'] });
      expect(errors(r)).toEqual(['TXT_INVALID/TXT_ID_INVALID']);
    });

    it('STS-TXT-1: no _mta-sts record at all', async () => {
      const { r } = await check({ mtaStsTxt: null });
      expect(errors(r)).toEqual(['TXT_INVALID/TXT_MISSING']);
      expect(r.observed.mtaStsTxt).toEqual([]);
      expect(r.details.mtaStsTxt.error).toBe('ENOTFOUND');
    });

    it('a failing DNS server (SERVFAIL) is a lookup failure, not a missing record', async () => {
      const { r } = await check({ zone: { [`_mta-sts.${D}`]: { servfail: true } } });
      expect(errors(r)).toEqual(['DNS_LOOKUP_FAILED']);
      expect(r.findings[0].message).toContain(`_mta-sts.${D}`);
    });

    it('CHK-16: no TLS-RPT record', async () => {
      const { r } = await check({ tlsrptTxt: null });
      expect(errors(r)).toEqual(['TLSRPT_MISSING/TLSRPT_NONE']);
    });

    it('RPT-TXT-5: several rua targets are a warning', async () => {
      const { r } = await check({ tlsrptTxt: ['v=TLSRPTv1; rua=mailto:a@example.net,https://r.example.net/v1'] });
      expect(r.findings.map((f) => [f.severity, f.code])).toEqual([['warn', 'TLSRPT_SEVERAL_URIS']]);
    });
  });

  describe('policy fetch', () => {
    it('CHK-7 / STS-POL-3: a redirect to www is recorded with its target and not followed', async () => {
      const location = `https://www.${D}/.well-known/mta-sts.txt`;
      const { r, dep } = await check({ policyResponse: { status: 301, location, contentType: 'text/html', body: 'moved' } });
      expect(errors(r)).toEqual(['POLICY_FETCH_FAILED/POLICY_REDIRECT']);
      expect(r.findings[0].message).toContain(location);
      expect(r.observed.policyFetch).toMatchObject({ status: 301, redirected: true, certValid: true });
      expect(r.details.policyFetch.location).toBe(location);
      expect(dep.policyServer.requests).toHaveLength(1);
    });

    it('CHK-8 / STS-POL-4: text/html is the wrong content type', async () => {
      const { r } = await check({ policyResponse: { contentType: 'text/html', body: testingPolicy([MX1, MX2]) } });
      expect(errors(r)).toEqual(['POLICY_FETCH_FAILED/POLICY_CONTENT_TYPE']);
    });

    it('STS-POL-4: "text/plain ; charset=UTF-8" is fine', async () => {
      const { r } = await check({ policyResponse: { contentType: 'text/plain ; charset=UTF-8', body: testingPolicy([MX1, MX2]) } });
      expect(r.findings).toEqual([]);
    });

    it('STS-POL-2: a 404 yields no policy', async () => {
      const { r } = await check({ policyResponse: { status: 404, contentType: 'text/html', body: 'not found' } });
      expect(errors(r)).toEqual(['POLICY_FETCH_FAILED/POLICY_HTTP_STATUS']);
    });

    it('CHK-17: a body over 64 KiB', async () => {
      const { r } = await check({ policyBody: `${testingPolicy([MX1, MX2])}${'x: y\r\n'.repeat(12_000)}` });
      expect(errors(r)).toEqual(['POLICY_FETCH_FAILED/POLICY_TOO_LARGE']);
    });

    it('CHK-17: a policy host slower than the time limit', async () => {
      const { r } = await check({ policyResponse: { body: testingPolicy([MX1, MX2]), delayMs: 2_000 } }, { httpsTimeoutMs: 300 });
      expect(errors(r)).toEqual(['POLICY_FETCH_FAILED/POLICY_TIMEOUT']);
      expect(r.observed.policyFetch.status).toBeNull();
    });

    it('STS-POL-1: a policy host without an address', async () => {
      const { r } = await check({ zone: { [`mta-sts.${D}`]: {} } });
      expect(errors(r)).toEqual(['POLICY_FETCH_FAILED/POLICY_HOST_NOT_FOUND']);
      expect(r.observed.policyFetch).toEqual({ status: null, contentType: null, redirected: false, certValid: null, body: null });
    });

    it('CHK-12: an expired policy-host certificate', async () => {
      const { r } = await check({ policyCert: 'expired' });
      expect(errors(r)).toEqual(['POLICY_FETCH_FAILED/POLICY_CERT_EXPIRED']);
      expect(r.observed.policyFetch.certValid).toBe(false);
    });

    it('CHK-12: a certificate naming the provider instead of mta-sts.<domain>', async () => {
      const { r } = await check({ policyCert: 'wrong-name' });
      expect(errors(r)).toEqual(['POLICY_FETCH_FAILED/POLICY_CERT_NAME']);
      expect(r.findings[0].message).toContain('other.example.test');
    });

    it('STS-POL-5: a self-signed policy-host certificate', async () => {
      const { r } = await check({ policyCert: 'self-signed' });
      expect(errors(r)).toEqual(['POLICY_FETCH_FAILED/POLICY_CERT_UNTRUSTED']);
    });

    it('ROLL-7: a policy-host certificate with 10 days left is a warning', async () => {
      const { r } = await check({ policyCert: { expiringInDays: 10 } });
      expect(r.findings.map((f) => [f.severity, f.code])).toEqual([['warn', 'CERT_EXPIRING']]);
      expect(r.findings[0].message).toMatch(/\(9 day\(s\) left\)|\(10 day\(s\) left\)/);
    });
  });

  describe('provider delegation (STS-TXT-1, spec notes §8.2)', () => {
    const delegated = {
      zone: {
        [`_mta-sts.${D}`]: { CNAME: '_mta-sts.provider.test' },
        '_mta-sts.provider.test': { TXT: [DEFAULT_FIXTURE_TXT] },
        [`mta-sts.${D}`]: { CNAME: 'policy.provider.test' },
        'policy.provider.test': { A: ['127.0.0.1'] },
      },
    };

    it('CNAMEs for _mta-sts and mta-sts.<domain> are followed; a certificate naming mta-sts.<domain> is fine', async () => {
      const { r, dep } = await check(delegated);
      expect(r.findings).toEqual([]);
      expect(r.observed.mtaStsTxt).toEqual([DEFAULT_FIXTURE_TXT]);
      expect(dep.policyServer.requests[0]).toMatchObject({ host: `mta-sts.${D}`, servername: `mta-sts.${D}` });
    });

    it("CHK-12: a certificate naming only the provider's host is wrong", async () => {
      const { r } = await check({ ...delegated, policyCert: { names: ['policy.provider.test'] } });
      expect(errors(r)).toEqual(['POLICY_FETCH_FAILED/POLICY_CERT_NAME']);
      expect(r.findings[0].message).toContain('policy.provider.test');
    });
  });

  describe('policy body', () => {
    it('STS-POL-7: a byte order mark, a blank line and a leading space make the policy invalid', async () => {
      const body = testingPolicy([MX1, MX2]);
      expect(errors((await check({ policyBody: `\uFEFF${body}` })).r)).toEqual(['POLICY_INVALID/POLICY_BOM']);
      expect(errors((await check({ policyBody: body.replace('\r\nmode', '\r\n\r\nmode') })).r)).toEqual(['POLICY_INVALID/POLICY_BLANK_LINE']);
      expect(errors((await check({ policyBody: body.replace('mode:', ' mode:') })).r)).toContain('POLICY_INVALID/POLICY_LEADING_SPACE');
    });

    it('CHK-9 / CHK-13: "Mode: Enforce" leaves mode missing; an mx with a trailing dot is invalid', async () => {
      const caseWrong = await check({ policyBody: `version: STSv1\nMode: Enforce\nmx: ${MX1}\nmx: ${MX2}\nmax_age: 86400\n` });
      expect(errors(caseWrong.r)).toEqual(['POLICY_INVALID/POLICY_MODE_MISSING']);
      const dotted = await check({ policyBody: `version: STSv1\nmode: testing\nmx: ${MX1}.\nmx: ${MX2}\nmax_age: 86400\n` });
      expect(errors(dotted.r)).toEqual(['POLICY_INVALID/MX_TRAILING_DOT']);
    });

    it('CHK-11 / STS-POL-14: max_age above 31557600 is an error, 0 a warning', async () => {
      expect(errors((await check({ policyBody: testingPolicy([MX1, MX2], 31_557_601) })).r)).toEqual(['POLICY_INVALID/POLICY_MAX_AGE_TOO_LARGE']);
      const zero = await check({ policyBody: testingPolicy([MX1, MX2], 0) });
      expect(codes(zero.r.findings)).toEqual(['MAX_AGE_ZERO']);
    });

    it('ROLL-4: enforce with max_age 604800 is below the steady value: warning only', async () => {
      const { r } = await check({ policyBody: testingPolicy([MX1, MX2], 604_800, 'enforce') });
      expect(r.findings.map((f) => [f.severity, f.code, f.rule])).toEqual([['warn', 'MAX_AGE_SHORT', 'ROLL-4']]);
    });

    it('CHK-1: the body changed since the last fetch but the id did not', async () => {
      const { r } = await check({}, { previous: { id: LIVE_ID, policyBody: testingPolicy([MX1]) } });
      expect(errors(r)).toEqual(['POLICY_ID_NOT_BUMPED']);
      expect(r.findings[0].message).toContain(LIVE_ID);
    });

    it('CHK-1: a new id with the new body is fine', async () => {
      const { r } = await check({}, { previous: { id: '20251201000000', policyBody: testingPolicy([MX1]) } });
      expect(r.findings).toEqual([]);
    });
  });

  describe('MX coverage', () => {
    const withBackup = [{ host: MX1 }, { host: MX2 }, { host: 'backup.example.net' }];

    it('CHK-3: an MX not covered is a warning in testing', async () => {
      const { r } = await check({ mx: withBackup, policyBody: testingPolicy([MX1, MX2]) });
      expect(r.findings.map((f) => [f.severity, f.code])).toEqual([['warn', 'MX_NOT_COVERED']]);
      expect(r.findings[0].message).toContain('backup.example.net');
    });

    it('CHK-3 / ROLL-11: an MX not covered is an error in enforce', async () => {
      const { r } = await check({ mx: withBackup, policyBody: testingPolicy([MX1, MX2], 1_209_600, 'enforce') });
      expect(errors(r)).toEqual(['MX_NOT_COVERED']);
    });

    it('CHK-5: *.example.test does not cover a.mx.example.test; CHK-6: wildcard under the own zone', async () => {
      const { r } = await check({ mx: [{ host: 'a.mx.example.test' }], policyBody: testingPolicy(['*.example.test'], 86_400, 'enforce') });
      expect(errors(r)).toEqual(['MX_NOT_COVERED/MX_WILDCARD_TOO_DEEP']);
      expect(r.findings[0].message).toContain('exactly one left-most label');
      expect(codes(r.findings.filter((f) => f.severity === 'warn'))).toEqual(['MAX_AGE_SHORT', 'MX_PATTERN_STALE', 'MX_WILDCARD_OWN_ZONE']);
    });

    it('CHK-4: a stale pattern matching no MX', async () => {
      const { r } = await check({ policyBody: testingPolicy([MX1, MX2, 'old.example.test']) });
      expect(r.findings.map((f) => [f.severity, f.code])).toEqual([['warn', 'MX_PATTERN_STALE']]);
      expect(r.findings[0].message).toContain('old.example.test');
    });
  });

  describe('MX probes', () => {
    it('CHK-14: every MX is probed, backups too: no STARTTLS, expired, self-signed and wrong-name certificates fail', async () => {
      const hosts = ['mx1.example.test', 'mx2.example.test', 'mx3.example.test', 'mx4.example.test', 'mx5.example.test'];
      const { r } = await check({
        mx: [
          { host: hosts[0] },
          { host: hosts[1], behaviour: 'no-starttls' },
          { host: hosts[2], cert: 'expired' },
          { host: hosts[3], cert: 'self-signed' },
          { host: hosts[4], cert: 'wrong-name' },
        ],
      });
      expect(errors(r)).toEqual(['MX_TLS_FAILED/MX_NO_STARTTLS', 'MX_TLS_FAILED/MX_CERT_EXPIRED', 'MX_TLS_FAILED/MX_CERT_UNTRUSTED', 'MX_TLS_FAILED/MX_CERT_NAME']);
      expect(only(r, 'MX_TLS_FAILED').map((f) => f.message.split(' ')[2])).toEqual(hosts.slice(1));
      expect(r.observed.mxProbes.map((p) => [p.host, p.starttls, p.certValid])).toEqual([
        [hosts[0], true, true],
        [hosts[1], false, null],
        [hosts[2], true, false],
        [hosts[3], true, false],
        [hosts[4], true, false],
      ]);
      expect(r.observed.mxProbes[2].error).toBe('certificate has expired');
    });

    it('a silent MX and a refused port are inconclusive warnings, not failures, and the check stays fast', async () => {
      const started = Date.now();
      const { r } = await check({ mx: [{ host: MX1, behaviour: 'silent' }, { host: MX2, behaviour: 'refused' }] }, { smtpTimeoutMs: 500 });
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(r.findings.map((f) => [f.severity, f.code, f.detail])).toEqual([
        ['warn', 'MX_PROBE_INCONCLUSIVE', 'MX_TIMEOUT'],
        ['warn', 'MX_PROBE_INCONCLUSIVE', 'MX_CONNECT_FAILED'],
      ]);
      expect(r.observed.mxProbes.map((p) => p.starttls)).toEqual([null, null]);
    });

    it('greylisting (421) is inconclusive', async () => {
      const { r } = await check({ mx: [{ host: MX1 }, { host: MX2, behaviour: 'greylist' }] });
      expect(codes(r.findings)).toEqual(['MX_PROBE_INCONCLUSIVE/MX_TEMPORARY_REPLY']);
    });

    it('ROLL-7: an MX certificate with 10 days left is a warning', async () => {
      const { r } = await check({ mx: [{ host: MX1 }, { host: MX2, cert: { expiringInDays: 10 } }] });
      expect(r.findings.map((f) => [f.severity, f.code])).toEqual([['warn', 'CERT_EXPIRING']]);
      expect(r.findings[0].message).toContain(MX2);
    });
  });

  describe('MX set', () => {
    it('a null MX ("0 .") is MX_INVALID and nothing is probed', async () => {
      const { r } = await check({ policyBody: 'version: STSv1\nmode: none\nmax_age: 86400\n', zone: { [D]: { MX: [{ exchange: '', priority: 0 }] } } });
      expect(errors(r)).toEqual(['MX_INVALID']);
      expect(r.observed.mx).toEqual(['.']);
      expect(r.observed.mxProbes).toEqual([]);
    });

    it('no MX at all (implicit MX) is MX_INVALID', async () => {
      const { r } = await check({ zone: { [D]: { A: ['127.0.0.1'] } } });
      expect(errors(r)).toEqual(['MX_INVALID']);
      expect(r.observed.mx).toEqual([]);
    });

    it('an MX naming an IP address is MX_INVALID and is never contacted', async () => {
      const { r } = await check({ zone: { [D]: { MX: [{ exchange: MX1, priority: 10 }, { exchange: '127.0.0.2', priority: 20 }] } } });
      expect(errors(r)).toEqual(['MX_INVALID']);
      expect(r.findings.find((f) => f.code === 'MX_INVALID')?.message).toContain('127.0.0.2');
      expect(r.observed.mxProbes.map((p) => p.host)).toEqual([MX1]);
    });
  });

  describe('safety', () => {
    it('loopback addresses are not contacted unless allowed: ADDRESS_NOT_PUBLIC', async () => {
      const { r, dep } = await check({}, { allowPrivateAddresses: false });
      expect(codes(r.findings)).toEqual(['ADDRESS_NOT_PUBLIC', 'ADDRESS_NOT_PUBLIC', 'ADDRESS_NOT_PUBLIC']);
      expect(dep.policyServer.requests).toEqual([]);
      expect(dep.mxServers[MX1].servernames).toEqual([]);
      expect(r.details.mxProbes.map((p) => p.address)).toEqual([null, null]);
      expect(r.observed.mxProbes.map((p) => p.starttls)).toEqual([null, null]);
    });

    it('an IDN domain is looked up in its A-label form', async () => {
      const dep = await startFixtureDeployment({ domain: 'xn--exmple-cua.test', mx: [{ host: 'mx1.xn--exmple-cua.test' }], ca });
      try {
        const r = await checkDomain('Exämple.test', dep.options);
        expect(r.domain).toBe('xn--exmple-cua.test');
        expect(r.findings).toEqual([]);
      } finally {
        await dep.stop();
      }
    });

    it('a zero or NaN limit never silently turns a limit off: it is refused as a programming error', async () => {
      await expect(checkDomain(D, { smtpPort: 0 })).rejects.toThrow('smtpPort must be a positive number, got 0');
      await expect(checkDomain(D, { httpsTimeoutMs: Number.NaN })).rejects.toThrow('httpsTimeoutMs must be a positive number');
      await expect(checkDomain(D, { dnsTimeoutMs: -1 })).rejects.toThrow('dnsTimeoutMs must be a positive number');
    });

    it('an invalid domain is refused before any DNS lookup', async () => {
      const dep = await startFixtureDeployment({ domain: D, mx: [{ host: MX1 }], ca });
      try {
        for (const bad of ['exa mple.test', '127.0.0.1', `${'a'.repeat(64)}.test`]) {
          const r = await checkDomain(bad, dep.options);
          expect(codes(r.findings)).toEqual(['DOMAIN_INVALID']);
        }
        expect(dep.dns.queries).toEqual([]);
      } finally {
        await dep.stop();
      }
    });
  });
});
