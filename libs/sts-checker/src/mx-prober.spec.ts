import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeMx } from './mx-prober.js';
import { observedProbe } from './observed.js';
import { createTestCa, startSilentServer, startSmtpServer, type KeyAndCert, type SmtpFixture, type TestCa } from './testing/index.js';

const MX = 'mx1.example.test';

describe('MX probe: banner, EHLO, STARTTLS, TLS with SNI = MX host', () => {
  let ca: TestCa;
  let server: SmtpFixture | undefined;
  beforeAll(() => {
    ca = createTestCa();
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function probe(tls: KeyAndCert | 'none', extra: { greylist?: boolean } = {}) {
    server = await startSmtpServer({ tls, ...extra });
    return probeMx({ host: MX, priority: 10, addresses: ['127.0.0.1'], port: server.port, caCerts: [ca.caCert], timeoutMs: 5_000, ehloName: 'checker.example.net' });
  }

  it('ROLL-7: a good MX offers STARTTLS, gets SNI = its name, and presents a valid certificate over TLS ≥ 1.2', async () => {
    const r = await probe(ca.good(MX));
    expect(r).toMatchObject({ host: MX, address: '127.0.0.1', starttlsOffered: true, errorCode: null, error: null });
    expect(r.banner).toMatch(/^220 /);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(r.tlsVersion);
    expect(r.cert).toMatchObject({ names: [MX], chainValid: true, nameMatches: true });
    expect(server?.servernames).toEqual([MX]);
    expect(observedProbe(r)).toEqual({ host: MX, starttls: true, certValid: true, certNames: [MX], error: null });
  });

  it('CHK-14: an MX without STARTTLS is a failure, not an inconclusive probe', async () => {
    const r = await probe('none');
    expect(r).toMatchObject({ starttlsOffered: false, errorCode: 'NO_STARTTLS', tlsVersion: null, cert: null });
    expect(observedProbe(r)).toEqual({ host: MX, starttls: false, certValid: null, certNames: [], error: 'STARTTLS is not offered in the EHLO reply' });
  });

  it('CHK-14: an expired MX certificate', async () => {
    const r = await probe(ca.expired(MX));
    expect(r).toMatchObject({ errorCode: 'CERT_INVALID', error: 'certificate has expired' });
    expect(observedProbe(r)).toMatchObject({ starttls: true, certValid: false, certNames: [MX] });
  });

  it('CHK-14: a self-signed MX certificate', async () => {
    const r = await probe(ca.selfSigned(MX));
    expect(r).toMatchObject({ errorCode: 'CERT_INVALID', error: 'self-signed certificate' });
    expect(r.cert?.chainValid).toBe(false);
  });

  it('CHK-14: a certificate for another name fails tls.checkServerIdentity', async () => {
    const r = await probe(ca.wrongName(MX));
    expect(r.errorCode).toBe('CERT_INVALID');
    expect(r.error).toMatch(/^hostname mismatch: /);
    expect(r.cert).toMatchObject({ chainValid: true, nameMatches: false, names: ['other.example.test'] });
    expect(observedProbe(r)).toMatchObject({ starttls: true, certValid: false, certNames: ['other.example.test'] });
  });

  it('ROLL-7: STARTTLS accepted but no TLS handshake possible is a TLS failure', async () => {
    // A broken MTA: it answers "220" to STARTTLS and then speaks plain text instead of TLS.
    const broken = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('220 broken.example.test ESMTP\r\n');
      let tlsRequested = false;
      socket.on('data', (chunk) => {
        const line = chunk.toString('latin1');
        if (tlsRequested) socket.write('this is not TLS at all\r\n');
        else if (line.startsWith('EHLO')) socket.write('250-broken.example.test\r\n250 STARTTLS\r\n');
        else if (line.startsWith('STARTTLS')) {
          tlsRequested = true;
          socket.write('220 go ahead\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const r = await probeMx({ host: MX, priority: 10, addresses: ['127.0.0.1'], port: (broken.address() as AddressInfo).port, timeoutMs: 5_000, ehloName: 'x.example.net' });
      expect(r).toMatchObject({ starttlsOffered: true, errorCode: 'TLS_FAILED', cert: null });
      expect(r.error).toMatch(/^TLS handshake failed: /);
      expect(observedProbe(r)).toMatchObject({ starttls: true, certValid: false });
    } finally {
      broken.close();
    }
  });

  it('greylisting (421 greeting) leaves the probe inconclusive', async () => {
    const r = await probe(ca.good(MX), { greylist: true });
    expect(r.errorCode).toBe('TEMPORARY_REPLY');
    expect(r.banner).toMatch(/^421 /);
    expect(observedProbe(r)).toMatchObject({ starttls: null, certValid: null });
  });

  it('a host that never answers times out within the limit and is inconclusive', async () => {
    server = await startSilentServer();
    const started = Date.now();
    const r = await probeMx({ host: MX, priority: 10, addresses: ['127.0.0.1'], port: server.port, timeoutMs: 500, ehloName: 'checker.example.net' });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(r).toMatchObject({ errorCode: 'TIMEOUT', error: 'no answer within 500 ms (no banner)', banner: null });
    expect(observedProbe(r).starttls).toBeNull();
  });

  it('a refused connection is inconclusive and tries the next address', async () => {
    server = await startSmtpServer({ tls: ca.good(MX), address: '127.0.0.3' });
    const r = await probeMx({ host: MX, priority: 10, addresses: ['127.0.0.2', '127.0.0.3'], port: server.port, caCerts: [ca.caCert], timeoutMs: 5_000, ehloName: 'x.example.net' });
    expect(r).toMatchObject({ address: '127.0.0.3', errorCode: null });
    const refused = await probeMx({ host: MX, priority: 10, addresses: ['127.0.0.2'], port: server.port, timeoutMs: 1_000, ehloName: 'x.example.net' });
    expect(refused.errorCode).toBe('CONNECT_FAILED');
    expect(refused.error).toMatch(/ECONNREFUSED/);
  });
});
