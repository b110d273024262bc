import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReport } from './support/report-mail-builder.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

describe('HTTPS report submission (rua=https:, RPT-DLV-8/9)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({ MAX_MESSAGE_BYTES: String(200_000) });
  });
  afterAll(async () => {
    await app?.close();
  });
  const post = (body: Uint8Array | string, contentType: string) =>
    fetch(`${app.baseUrl}/tlsrpt`, { method: 'POST', body: typeof body === 'string' ? body : Buffer.from(body), headers: { 'content-type': contentType } });

  it('application/tlsrpt+gzip without a token → 201, stored like an SMTP report', async () => {
    const res = await post(gzipSync(new TextEncoder().encode(makeReport({ reportId: 'https-1', ok: 7 }))), 'application/tlsrpt+gzip');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ stored: 1, duplicates: 0, quarantined: 0, reportIds: ['https-1'] });
    const list = await app.json('/api/reports');
    const item = list.items.find((r: any) => r.reportId === 'https-1');
    expect(item).toMatchObject({ source: 'https', successfulSessions: 7, authenticated: false });
  });

  it('a duplicate POST also gets 201 and stores nothing new (RPT-DLV-10)', async () => {
    const res = await post(gzipSync(new TextEncoder().encode(makeReport({ reportId: 'https-1', ok: 7 }))), 'application/tlsrpt+gzip');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ stored: 0, duplicates: 1 });
  });

  it.each(['application/tlsrpt+json', 'text/plain', 'application/octet-stream', 'image/png'])(
    'sniffs the bytes whatever the declared type (%s): never 415',
    async (type) => {
      const res = await post(makeReport({ reportId: `https-type-${type}` }), type);
      expect(res.status).toBe(201);
      expect((await res.json()).stored).toBe(1);
    },
  );

  it('gzip that does not hold a valid report is quarantined with 201', async () => {
    const res = await post(gzipSync(new TextEncoder().encode('{"policies": []}')), 'application/tlsrpt+gzip');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ stored: 0, quarantined: 1 });
    const q = await app.json('/api/quarantine');
    expect(q.items[0]).toMatchObject({ source: 'https', reasonCode: 'MISSING_FIELD' });
  });

  it('bytes that are none of gzip, zip or JSON → 400 with the reason', async () => {
    const res = await post('hello, this is not a report', 'application/tlsrpt+json');
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('neither gzip, zip nor JSON');
  });

  it('a body over the size cap → 413', async () => {
    const res = await post('{' + ' '.repeat(300_000) + '}', 'application/tlsrpt+json');
    expect(res.status).toBe(413);
  });
});
