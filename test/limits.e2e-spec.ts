import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpConversation } from './adversarial/smtp-conversation.js';
import { spawnServer, type SpawnedServer } from './adversarial/spawned-server.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

const MAX_BYTES = 20_000;
const TIMEOUT_MS = 800;
const DATA_TIMEOUT_MS = 1_500;

describe('issue 9: SMTP limits, each with its reply and a log line (built server process)', () => {
  let db: TestDatabase;
  let server: SpawnedServer;
  let admin: pg.Client;
  const open: SmtpConversation[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await spawnServer({
      DATABASE_URL: db.url,
      DATA_DIR: `/tmp/sts-limits-${process.pid}`,
      LOG_LEVEL: 'info',
      SMTP_MAX_CLIENTS: '3',
      SMTP_MAX_CLIENTS_PER_IP: '2',
      SMTP_MAX_RECIPIENTS: '2',
      SMTP_MAX_CONNECTIONS_PER_MINUTE_PER_IP: '4',
      SMTP_SOCKET_TIMEOUT_MS: String(TIMEOUT_MS),
      SMTP_DATA_TIMEOUT_MS: String(DATA_TIMEOUT_MS),
      MAX_MESSAGE_BYTES: String(MAX_BYTES),
    });
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server?.kill('SIGTERM');
    await admin?.end();
    await db?.drop();
  });

  // Each test connects from its own loopback address, so per-address counters never leak between tests.
  const connect = async (ip: string) => {
    const r = await SmtpConversation.open(server.smtpPort, ip);
    open.push(r.conv);
    return r;
  };
  const logged = (msg: string, extra: Record<string, unknown> = {}) =>
    server.waitForLog((l) => String(l.msg).startsWith(msg) && Object.entries(extra).every(([k, v]) => l[k] === v));

  it('SMTP_MAX_CLIENTS_PER_IP: the third connection from one address gets 421 4.7.0, another address still gets in', async () => {
    const a = await connect('127.0.0.11');
    const b = await connect('127.0.0.11');
    expect([a.greeting, b.greeting].map((g) => g?.slice(0, 4))).toEqual(['220 ', '220 ']);
    const c = await connect('127.0.0.11');
    expect(c.greeting).toBe('421 4.7.0 Too many connections from your address, try again later');
    await c.conv.closed;
    const other = await connect('127.0.0.12');
    expect(other.greeting?.slice(0, 4)).toBe('220 ');
    await logged('SMTP connection refused: too many connections from this address', { ip: '127.0.0.11' });

    // SMTP_MAX_CLIENTS=3: with three sessions open, a fourth from a fresh address is refused by the overall cap.
    const d = await connect('127.0.0.13');
    expect(d.greeting).toBe('421 mx.reports.test Too many connected clients, try again in a moment');
    await logged('SMTP refusal sent: 421 mx.reports.test Too many connected clients');
    for (const x of [a, b, other]) {
      x.conv.close();
      await x.conv.closed;
    }
  });

  it('SMTP_MAX_CONNECTIONS_PER_MINUTE_PER_IP: the fifth connection within a minute gets 421 4.7.0', async () => {
    await new Promise((r) => setTimeout(r, 200)); // the previous test's sockets are released
    for (let i = 0; i < 4; i++) {
      const { conv, greeting } = await connect('127.0.0.21');
      expect(greeting?.slice(0, 4)).toBe('220 ');
      expect(await conv.send('QUIT')).toMatch(/^221 /);
      await conv.closed;
    }
    const fifth = await connect('127.0.0.21');
    expect(fifth.greeting).toBe('421 4.7.0 Too many connections from your address in the last minute, try again later');
    await logged('SMTP connection refused: connection rate per minute exceeded', { ip: '127.0.0.21', attempts: 5, max: 4 });
    const other = await connect('127.0.0.22');
    expect(other.greeting?.slice(0, 4)).toBe('220 ');
    other.conv.close();
  });

  it('SMTP_MAX_RECIPIENTS: the third RCPT gets 452 4.5.3', async () => {
    const { conv } = await connect('127.0.0.31');
    expect(await conv.send('EHLO limits.test')).toMatch(/^250/);
    expect(await conv.send('MAIL FROM:<a@reporter.test>')).toMatch(/^250 /);
    expect(await conv.send(`RCPT TO:<${RUA}>`)).toMatch(/^250 /);
    expect(await conv.send('RCPT TO:<dmarc@reports.test>')).toMatch(/^250 /);
    expect(await conv.send('RCPT TO:<third@reports.test>')).toBe('452 4.5.3 Too many recipients (at most 2 per message)');
    await logged('SMTP recipient refused: too many recipients', { ip: '127.0.0.31', max: 2 });
    conv.close();
  });

  it('SIZE: a declared size over MAX_MESSAGE_BYTES gets 552 at MAIL FROM; a body over it gets 552 5.3.4 and nothing is stored', async () => {
    const { conv } = await connect('127.0.0.41');
    const ehlo = await conv.send('EHLO limits.test');
    expect(ehlo).toContain(`SIZE ${MAX_BYTES}`);
    expect(await conv.send(`MAIL FROM:<a@reporter.test> SIZE=${MAX_BYTES + 1}`)).toBe(`552 Error: message exceeds fixed maximum message size ${MAX_BYTES}`);
    await logged(`SMTP refusal sent: 552 Error: message exceeds fixed maximum message size ${MAX_BYTES}`, { ip: '127.0.0.41' });
    expect(await conv.send('MAIL FROM:<a@reporter.test>')).toMatch(/^250 /);
    expect(await conv.send(`RCPT TO:<${RUA}>`)).toMatch(/^250 /);
    expect(await conv.send('DATA')).toMatch(/^354 /);
    const big = buildReportMail({ payload: makeReport({ reportId: 'too-big' }) + ' '.repeat(MAX_BYTES), gzip: false, encoding: '7bit' });
    conv.write(big.replace(/\r?\n/g, '\r\n') + '\r\n.\r\n');
    expect(await conv.reply()).toBe(`552 5.3.4 Message exceeds the maximum size of ${MAX_BYTES} bytes`);
    await logged('SMTP message refused: over the size limit', { ip: '127.0.0.41', max: MAX_BYTES });
    expect((await admin.query(`SELECT count(*)::int AS n FROM raw_message`)).rows[0].n).toBe(0);
    conv.close();
  });

  it('SMTP_SOCKET_TIMEOUT_MS: an idle client is cut off with 421 between commands', async () => {
    const { conv } = await connect('127.0.0.51');
    expect(await conv.send('EHLO limits.test')).toMatch(/^250/);
    const started = Date.now();
    expect(await conv.reply(TIMEOUT_MS * 5)).toBe('421 Timeout - closing connection');
    await conv.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    await logged('SMTP refusal sent: 421 Timeout - closing connection', { ip: '127.0.0.51' });
  });

  it('SMTP_SOCKET_TIMEOUT_MS: a sender that stalls inside DATA is cut off with 421 and nothing is half-stored', async () => {
    const { conv } = await connect('127.0.0.52');
    await conv.send('EHLO limits.test');
    await conv.send('MAIL FROM:<stall@reporter.test>');
    await conv.send(`RCPT TO:<${RUA}>`);
    expect(await conv.send('DATA')).toMatch(/^354 /);
    const mail = buildReportMail({ payload: makeReport({ reportId: 'stalled' }), gzip: true });
    conv.write(mail.slice(0, Math.floor(mail.length / 2)));
    expect(await conv.reply(TIMEOUT_MS * 5)).toBe('421 Timeout - closing connection');
    await conv.closed;
    await logged('SMTP refusal sent: 421 Timeout - closing connection', { ip: '127.0.0.52' });
    expect((await admin.query(`SELECT count(*)::int AS n FROM raw_message WHERE envelope->>'mailFrom' = 'stall@reporter.test'`)).rows[0].n).toBe(0);
  });

  it('SMTP_DATA_TIMEOUT_MS: a sender trickling its message (each byte inside the idle timeout) is cut off with 421 4.4.2', async () => {
    const { conv } = await connect('127.0.0.53');
    await conv.send('EHLO limits.test');
    await conv.send('MAIL FROM:<trickle@reporter.test>');
    await conv.send(`RCPT TO:<${RUA}>`);
    expect(await conv.send('DATA')).toMatch(/^354 /);
    const started = Date.now();
    const mail = buildReportMail({ payload: makeReport({ reportId: 'trickled' }), gzip: true });
    let i = 0;
    const trickle = setInterval(() => conv.write(mail[i++ % mail.length]), TIMEOUT_MS / 4);
    try {
      expect(await conv.reply(DATA_TIMEOUT_MS * 4)).toBe('421 4.4.2 Message transfer took too long, closing connection');
    } finally {
      clearInterval(trickle);
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(DATA_TIMEOUT_MS - 100);
    await conv.closed;
    await logged('SMTP connection closed: message not complete within SMTP_DATA_TIMEOUT_MS', { ip: '127.0.0.53', ms: DATA_TIMEOUT_MS });
    expect((await admin.query(`SELECT count(*)::int AS n FROM raw_message WHERE envelope->>'mailFrom' = 'trickle@reporter.test'`)).rows[0].n).toBe(0);
  });

  it('command abuse: ten unknown commands, or a 16 KiB command line, end the session with 421 and a log line', async () => {
    const junk = await connect('127.0.0.71');
    for (let i = 0; i < 9; i++) expect(await junk.conv.send(`XYZZY${i}`)).toMatch(/^500 /);
    expect(await junk.conv.send('XYZZY9')).toBe('421 Error: too many unrecognized commands');
    await junk.conv.closed;
    await logged('SMTP refusal sent: 421 Error: too many unrecognized commands', { ip: '127.0.0.71' });
    const long = await connect('127.0.0.72');
    expect(await long.conv.send(`EHLO ${'a'.repeat(17 * 1024)}`)).toBe('421 Error: Command line too long');
    await long.conv.closed;
    await logged('SMTP refusal sent: 421 Error: Command line too long', { ip: '127.0.0.72' });
  });

  it('after all that abuse a normal report from a fresh address is stored', async () => {
    const { conv } = await connect('127.0.0.61');
    await conv.send('EHLO limits.test');
    await conv.send('MAIL FROM:<ok@reporter.test>');
    await conv.send(`RCPT TO:<${RUA}>`);
    expect(await conv.send('DATA')).toMatch(/^354 /);
    conv.write(buildReportMail({ payload: makeReport({ reportId: 'after-abuse' }), gzip: true }) + '\r\n.\r\n');
    expect(await conv.reply()).toBe('250 2.0.0 1 report(s) stored');
    conv.close();
  });
});

describe('issue 9: HTTP limits (helmet, body size, filters validated against SQL injection)', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The sweep sends thousands of requests: the API rate limit must not answer them in place of the handlers.
    app = await bootTestApp({ API_RATE_LIMIT: '1000000' });
    const { sendSmtp } = await import('./support/smtp-client.js');
    const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: makeReport({ reportId: 'sqli-1', domain: 'example.com' }), gzip: true }) });
    expect(res.final.code).toBe(250);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('helmet: security headers on API responses and on errors; no X-Powered-By', async () => {
    for (const res of [await app.api('/api/reports'), await app.api('/api/reports', { token: null }), await app.api('/api/no-such-route')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('a JSON body over 1 MB is refused with 413 before any handler runs', async () => {
    const body = JSON.stringify({ domain: 'example.com', pad: 'x'.repeat(1_100_000) });
    const res = await app.api('/api/domains', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(await res.text()).not.toMatch(/at \w+ \(|node_modules/);
  });

  const INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE report; --",
    "example.com' UNION SELECT token_hash::text FROM api_token --",
    "'); SELECT pg_sleep(3); --",
    '1 OR 1=1',
    'id;drop',
    '"',
    '\\',
    '%00',
    '\u0000',
    '$1',
    '../../etc/passwd',
    '*',
    '2024-01-01\'--',
    '-1',
    '99999999999999999999999',
  ];

  /** Every filter name the API's query schemas declare (read from the zod schemas, so new endpoints are covered). */
  function filterNames(): string[] {
    const names = new Set<string>(['sort', 'order', 'q', 'filter']);
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.query\.ts$/.test(e.name)) {
          for (const m of readFileSync(p, 'utf8').matchAll(/^\s+([a-zA-Z]+):\s/gm)) names.add(m[1]);
        }
      }
    };
    walk('apps/server/src');
    return [...names];
  }

  /** The GET routes the running Nest app has registered (express router), path parameters included. */
  function getRoutes(): string[] {
    const express = app.server.app.getHttpAdapter().getInstance() as any;
    const stack: any[] = express.router?.stack ?? express._router?.stack ?? [];
    return stack.filter((l) => l.route && l.route.methods?.get).map((l) => String(l.route.path));
  }

  it('SQL injection through every filter and path parameter of every GET endpoint gives 400 or nothing, never a 5xx or a database error', async () => {
    const routes = getRoutes();
    expect(routes).toEqual(expect.arrayContaining(['/api/reports', '/api/reports/:id', '/api/quarantine']));
    const filters = filterNames();
    expect(filters).toEqual(expect.arrayContaining(['domain', 'organization', 'from', 'to', 'limit', 'cursor']));
    const failures: string[] = [];
    let requests = 0;
    const check = async (url: string) => {
      requests++;
      const started = Date.now();
      const res = await app.api(url);
      const text = await res.text();
      const ms = Date.now() - started;
      if (res.status >= 500 || res.status === 429 || /syntax error at or near|QueryFailedError|relation "\w+" does not exist|column "\w+" does not exist|invalid input syntax for|invalid byte sequence|unterminated quoted/i.test(text) || ms > 2_000) {
        failures.push(`${url} → ${res.status} (${ms} ms) ${text.slice(0, 200)}`);
      }
      if (res.status === 200 && /token_hash|\/etc\/passwd/.test(text)) failures.push(`${url} leaked: ${text.slice(0, 200)}`);
    };
    for (const route of routes) {
      const withParams = (v: string) => route.replace(/:(\w+)/g, () => encodeURIComponent(v)).replace(/\{?\/?\*\w*\}?/g, '');
      const base = withParams(route.includes(':domain') ? 'example.com' : '1');
      for (const payload of INJECTIONS) {
        if (route.includes(':')) await check(withParams(payload));
        for (const f of filters) await check(`${base}?${encodeURIComponent(f)}=${encodeURIComponent(payload)}`);
        await check(`${base}?domain[]=${encodeURIComponent(payload)}&domain[]=x`);
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(500);
    // A NUL in a filter is refused up front (PostgreSQL text cannot hold it; it used to surface as a 500).
    const nul = await app.api('/api/reports?organization=%00');
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ field: 'organization', message: 'organization: must not contain a NUL character' });
    // The tables are all still there and untouched.
    const list = await app.json('/api/reports');
    expect(list.items.map((r: { reportId: string }) => r.reportId)).toEqual(['sqli-1']);
  });
});
