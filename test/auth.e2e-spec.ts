import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { bootTestApp, type TestApp } from './support/test-app.js';

describe('API access control', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the first start creates one admin token', () => {
    expect(app.adminToken).toMatch(/^stsp_[A-Za-z0-9_-]{32}$/);
  });

  it('health is open and checks the database', async () => {
    const res = await app.api('/api/health', { token: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it.each(['/api/reports', '/api/reports/1', '/api/quarantine'])('%s without a token → 401', async (path) => {
    const res = await app.api(path, { token: null });
    expect(res.status).toBe(401);
  });

  it('an unknown token → 401, a malformed header → 401', async () => {
    expect((await app.api('/api/reports', { token: 'stsp_not-a-real-token-at-all-000000' })).status).toBe(401);
    expect((await fetch(app.baseUrl + '/api/reports', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('`sts-pilot token create --json` makes a read token that reads but cannot do admin work; revoked tokens stop working', async () => {
    const env = { ...process.env, DATABASE_URL: app.db.url, DATA_DIR: app.dataDir };
    const out = spawnSync('node', ['bin/sts-pilot.js', 'token', 'create', '--scope', 'read', '--name', 'dashboard', '--json'], { env, encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    const { token, id } = JSON.parse(out.stdout);
    expect((await app.api('/api/reports', { token })).status).toBe(200);
    // Admin work with a read token: 403, not 401.
    expect((await app.api('/api/tokens', { token })).status).toBe(403);
    expect((await app.api('/api/quarantine/reparse', { token, method: 'POST' })).status).toBe(403);
    expect((await app.api('/api/tokens')).status).toBe(200);

    const list = spawnSync('node', ['bin/sts-pilot.js', 'token', 'list', '--json'], { env, encoding: 'utf8' });
    const tokens = JSON.parse(list.stdout);
    expect(tokens.map((t: { name: string; scope: string }) => [t.name, t.scope])).toEqual([
      ['initial-admin', 'admin'],
      ['dashboard', 'read'],
    ]);
    expect(list.stdout).not.toContain(token);

    const revoke = spawnSync('node', ['bin/sts-pilot.js', 'token', 'revoke', String(id)], { env, encoding: 'utf8' });
    expect(revoke.status, revoke.stderr).toBe(0);
    expect((await app.api('/api/reports', { token })).status).toBe(401);
  });
});
