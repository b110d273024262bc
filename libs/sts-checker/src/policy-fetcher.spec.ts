import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchPolicy, POLICY_BODY_CAP } from './policy-fetcher.js';
import { createTestCa, startPolicyServer, type PolicyResponse, type PolicyServer, type TestCa } from './testing/index.js';

const HOST = 'mta-sts.example.test';
const BODY = 'version: STSv1\r\nmode: testing\r\nmx: mx1.example.test\r\nmax_age: 86400\r\n';

describe('policy fetch over HTTPS, as a sender does it', () => {
  let ca: TestCa;
  let server: PolicyServer | undefined;
  beforeAll(() => {
    ca = createTestCa();
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function fetchFrom(response: PolicyResponse, tls = ca.good(HOST), timeoutMs = 5_000) {
    server = await startPolicyServer({ tls, response });
    return fetchPolicy({ policyHost: HOST, addresses: ['127.0.0.1'], port: server.port, caCerts: [ca.caCert], timeoutMs });
  }

  it('STS-POL-1/5: connects to the given address with SNI and Host = mta-sts.<domain>, TLS ≥ 1.2, and records the certificate', async () => {
    const r = await fetchFrom({ body: BODY });
    expect(r).toMatchObject({ url: `https://${HOST}/.well-known/mta-sts.txt`, address: '127.0.0.1', status: 200, contentType: 'text/plain; charset=utf-8', body: BODY, bodyBytes: BODY.length, errorCode: null });
    expect(['TLSv1.2', 'TLSv1.3']).toContain(r.tlsVersion);
    expect(r.cert).toMatchObject({ names: [HOST], issuerCn: 'STS Pilot Test CA', chainValid: true, nameMatches: true });
    expect(Date.parse(r.cert?.notAfter ?? '') - Date.now()).toBeGreaterThan(300 * 86_400_000);
    expect(server?.requests).toEqual([{ path: '/.well-known/mta-sts.txt', host: HOST, servername: HOST }]);
  });

  it('STS-POL-3: a 301 is recorded with its Location and never followed', async () => {
    const r = await fetchFrom({ status: 301, location: 'https://www.example.test/.well-known/mta-sts.txt', contentType: 'text/html', body: '<a>moved</a>' });
    expect(r.status).toBe(301);
    expect(r.location).toBe('https://www.example.test/.well-known/mta-sts.txt');
    expect(server?.requests).toHaveLength(1);
  });

  it('STS-POL-7: a UTF-8 byte order mark is kept in the body so the parser sees it', async () => {
    const r = await fetchFrom({ body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BODY)]) });
    expect(r.body?.charCodeAt(0)).toBe(0xfeff);
  });

  it('STS-POL-17: a body over 64 KiB is cut off just past the cap', async () => {
    const r = await fetchFrom({ body: `${BODY}${'x: y\r\n'.repeat(20_000)}` });
    expect(r.errorCode).toBe('BODY_TOO_LARGE');
    expect(r.status).toBe(200);
    expect(Buffer.byteLength(r.body ?? '')).toBe(POLICY_BODY_CAP + 1);
  });

  it('STS-POL-17: a host slower than the time limit gives TIMEOUT', async () => {
    const started = Date.now();
    const r = await fetchFrom({ body: BODY, delayMs: 3_000 }, ca.good(HOST), 300);
    expect(r.errorCode).toBe('TIMEOUT');
    expect(r.status).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('STS-POL-5: an expired certificate is recorded as not valid with its expiry date', async () => {
    const r = await fetchFrom({ body: BODY }, ca.expired(HOST));
    expect(r.cert).toMatchObject({ chainValid: false, chainError: 'certificate has expired', nameMatches: true });
    expect(Date.parse(r.cert?.notAfter ?? '')).toBeLessThan(Date.now());
  });

  it('STS-POL-5: a certificate for another name fails the name check', async () => {
    const r = await fetchFrom({ body: BODY }, ca.wrongName(HOST));
    expect(r.cert).toMatchObject({ chainValid: true, nameMatches: false, names: ['other.example.test'] });
  });

  it('STS-POL-5: a self-signed certificate not from the CA is not trusted', async () => {
    const r = await fetchFrom({ body: BODY }, ca.selfSigned(HOST));
    expect(r.cert).toMatchObject({ chainValid: false, chainError: 'self-signed certificate', nameMatches: true });
  });

  it('a closed port gives CONNECT_FAILED', async () => {
    const probe = await startPolicyServer({ tls: ca.good(HOST), response: { body: BODY } });
    const port = probe.port;
    await probe.stop();
    const r = await fetchPolicy({ policyHost: HOST, addresses: ['127.0.0.1'], port, caCerts: [ca.caCert], timeoutMs: 1_000 });
    expect(r.errorCode).toBe('CONNECT_FAILED');
    expect(r.status).toBeNull();
  });
});
