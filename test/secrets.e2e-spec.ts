import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawnServer, type SpawnedServer } from './adversarial/spawned-server.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';

describe('issue 9: secrets never appear in logs or API responses (built server, LOG_LEVEL=debug)', () => {
  let db: TestDatabase;
  let dataDir: string;
  let server: SpawnedServer;
  let token: string;
  const role = `sts_secret_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const wrongToken = `stsp_${randomBytes(16).toString('hex')}`;
  const bodies: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'sts-secrets-'));
    // A role with a password, owning the test database: the password is then part of DATABASE_URL.
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    const dbName = new URL(db.url).pathname.slice(1);
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await admin.query(`ALTER DATABASE ${dbName} OWNER TO ${role}`);
    await admin.end();
    const inDb = new pg.Client({ connectionString: db.url });
    await inDb.connect();
    await inDb.query(`ALTER SCHEMA public OWNER TO ${role}`);
    await inDb.end();
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    server = await spawnServer({ DATABASE_URL: url.toString(), DATA_DIR: dataDir, LOG_LEVEL: 'debug' });
    token = /^\s+(stsp_\S+)$/m.exec(server.output())?.[1] ?? '';
    expect(token).toMatch(/^stsp_/);
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    await db?.drop();
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
    await rm(dataDir, { recursive: true, force: true });
  });

  const api = async (path: string, auth: string | null, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (auth) headers.set('authorization', `Bearer ${auth}`);
    const res = await fetch(`http://127.0.0.1:${server.httpPort}${path}`, { ...init, headers });
    const text = await res.text();
    bodies.push(`${res.status} ${JSON.stringify(Object.fromEntries((res.headers as unknown as { entries(): Iterable<[string, string]> }).entries()))} ${text}`);
    return { status: res.status, text };
  };

  it('exercises the service: reports over SMTP, API reads with good, wrong and no tokens, bad input, a report over HTTPS', async () => {
    const res = await sendSmtp({ port: server.smtpPort, to: ['tlsrpt@reports.test'], data: buildReportMail({ payload: makeReport({ reportId: 'secret-1' }), gzip: true }) });
    expect(res.final.code).toBe(250);
    const list = await api('/api/reports', token);
    expect(list.status).toBe(200);
    const id = JSON.parse(list.text).items[0].id;
    for (const path of ['/api/health', `/api/reports/${id}`, `/api/reports/${id}/raw`, '/api/quarantine', '/api/domains', '/api/reports?from=yesterday', '/api/reports/x']) {
      expect((await api(path, token)).status).toBeLessThan(500);
    }
    expect((await api('/api/reports', wrongToken)).status).toBe(401);
    expect((await api('/api/reports', null)).status).toBe(401);
    expect((await api(`/api/reports?token=${token}`, null)).status).toBe(401);
    const post = await api('/tlsrpt', null, { method: 'POST', body: makeReport({ reportId: 'secret-2' }), headers: { 'content-type': 'application/tlsrpt+json' } });
    expect(post.status).toBe(201);
  });

  it('the admin token is printed once, on the start-up banner, and never in a log line', async () => {
    await server.kill('SIGTERM'); // shutdown lines are logged too
    const out = server.output();
    expect(out.split(token).length - 1).toBe(1);
    const lines = out.split('\n');
    const logLines = lines.filter((l) => l.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(20); // debug level really logged
    expect(logLines.filter((l) => l.includes(token))).toEqual([]);
    expect(logLines.filter((l) => l.includes(wrongToken))).toEqual([]);
  });

  it('the database password, the TLS private key and the tokens appear in no log line and no API response', () => {
    const out = server.output();
    const keyFiles = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((f) => /key/i.test(f));
    expect(keyFiles.length).toBeGreaterThan(0);
    const keyLines = keyFiles.flatMap((f) => readFileSync(join(dataDir, f), 'utf8').split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l.trim())));
    expect(keyLines.length).toBeGreaterThan(5);
    expect(out.includes(password)).toBe(false);
    expect(out.includes(encodeURIComponent(password))).toBe(false);
    expect(keyLines.filter((l) => out.includes(l.trim()))).toEqual([]);
    const responses = bodies.join('\n');
    expect(responses.includes(password)).toBe(false);
    expect(responses.includes(token)).toBe(false);
    expect(responses.includes(wrongToken)).toBe(false);
    expect(keyLines.filter((l) => responses.includes(l.trim()))).toEqual([]);
  });
});
