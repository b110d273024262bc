import { afterEach, describe, expect, it } from 'vitest';
import { createDnsLookup } from './dns-lookup.js';
import { startDnsServer, type DnsFixture } from './testing/index.js';
import { encodeQuery, parseServer, queryTxtTtl, txtTtlFromResponse } from './txt-ttl.js';

describe('STS-FET-11: the checker records the TXT TTL', () => {
  let dns: DnsFixture | undefined;
  afterEach(async () => {
    await dns?.stop();
    dns = undefined;
  });

  it('reads the TTL of _mta-sts and _smtp._tls records from a real DNS answer', async () => {
    dns = await startDnsServer({
      '_mta-sts.example.test': { TXT: ['v=STSv1; id=1'], ttl: 3600 },
      '_smtp._tls.example.test': { TXT: [['v=TLSRPTv1; ', 'rua=mailto:a@example.test']], ttl: 86_400 },
    });
    const lookup = createDnsLookup([dns.server], 1_000);
    expect(await lookup.txt('_mta-sts.example.test')).toMatchObject({ records: ['v=STSv1; id=1'], ttl: 3600, error: null });
    expect(await lookup.txt('_smtp._tls.example.test')).toMatchObject({ records: ['v=TLSRPTv1; rua=mailto:a@example.test'], ttl: 86_400 });
    expect(await lookup.txt('_mta-sts.missing.test')).toMatchObject({ records: [], ttl: null, error: 'ENOTFOUND' });
  });

  it('through a CNAME the lowest TTL of the chain counts', async () => {
    dns = await startDnsServer({
      '_mta-sts.example.test': { CNAME: '_mta-sts.provider.test', ttl: 600 },
      '_mta-sts.provider.test': { TXT: ['v=STSv1; id=1'], ttl: 3600 },
    });
    expect(await queryTxtTtl('_mta-sts.example.test', dns.server, 1_000)).toBe(600);
  });

  it('an unanswered query gives null within the time limit', async () => {
    dns = await startDnsServer({ '_mta-sts.example.test': { silent: true } });
    const started = Date.now();
    expect(await queryTxtTtl('_mta-sts.example.test', dns.server, 200)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('server strings with and without ports', () => {
    expect(parseServer('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseServer('8.8.8.8')).toEqual({ host: '8.8.8.8', port: 53 });
    expect(parseServer('[::1]:5353')).toEqual({ host: '::1', port: 5353 });
    expect(parseServer('2001:db8::53')).toEqual({ host: '2001:db8::53', port: 53 });
    expect(parseServer('dns.example')).toBeNull();
  });

  it('a truncated, foreign or error answer gives null', () => {
    const query = encodeQuery(7, 'x.test', 16);
    const reply = Buffer.from(query);
    reply.writeUInt16BE(0x8180 | 0x0200, 2); // QR + TC
    expect(txtTtlFromResponse(reply, 7)).toBeNull();
    reply.writeUInt16BE(0x8183, 2); // NXDOMAIN
    expect(txtTtlFromResponse(reply, 7)).toBeNull();
    expect(txtTtlFromResponse(query, 8)).toBeNull();
  });
});
