// Focused e2e tests of the domain endpoints: registration, auth, checks, advice, transitions (ROLL-2).
import { TokenStore } from '@app/store';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWithHost } from './fixtures/rollout/policy-request.js';
import { startLoopbackDeployment, type LoopbackDeployment } from './fixtures/rollout/loopback-deployment.js';
import { stsReport } from './fixtures/rollout/report-json.js';
import { buildReportMail } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

const DOMAIN = 'watched.test';
const MX1 = 'mx1.watched.test';
const HOUR_MS = 3_600_000;
const ENFORCE_BODY = 'version: STSv1\nmode: enforce\nmx: mx1.watched.test\nmax_age: 604800\n';

describe('domains API', () => {
  let dep: LoopbackDeployment;
  let app: TestApp;
  let readToken: string;
  let now = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
  const post = (path: string, body?: unknown, token?: string) =>
    app.api(path, { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    dep = await startLoopbackDeployment(DOMAIN);
    // Default REQUIRE_DKIM_FOR_EVIDENCE (true): the unsigned test reports must not count.
    app = await bootTestApp(dep.env, { clock: () => now });
    dep.setUpstream(app.baseUrl);
    await dep.startMx({ host: MX1, address: '127.0.0.2', cert: 'good' });
    dep.publish({ mx: [MX1] });
    readToken = (await new TokenStore(app.server.app.get(DataSource)).create('reader', 'read')).token;
  });
  afterAll(async () => {
    await app?.close();
    await dep?.stop();
  });

  describe('registration', () => {
    it('normalizes case, trailing dot and IDN to punycode; 201 when new, 200 when already watched', async () => {
      const first = await post('/api/domains', { domain: 'Bücher.Example.' });
      expect(first.status).toBe(201);
      expect(await first.json()).toMatchObject({ created: true, domain: { domain: 'xn--bcher-kva.example' } });
      const again = await post('/api/domains', { domain: 'xn--bcher-kva.example' });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ created: false, domain: { domain: 'xn--bcher-kva.example' } });
      const detail = await app.json('/api/domains/B%C3%BCcher.example');
      expect(detail).toMatchObject({ domain: 'xn--bcher-kva.example', latestCheck: null, latestAdvice: null, openTransition: null });
    });

    it.each([['192.0.2.1'], ['localhost'], ['bad_label.example']])('refuses %j with 400 DOMAIN_INVALID', async (domain) => {
      const res = await post('/api/domains', { domain });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'DOMAIN_INVALID', field: 'domain' });
    });

    it('refuses unknown body fields (400)', async () => {
      const res = await post('/api/domains', { domain: 'ok.example', mode: 'enforce' });
      expect(res.status).toBe(400);
    });

    it('lists watched domains in name order; an unknown one is 404 DOMAIN_NOT_WATCHED', async () => {
      await post('/api/domains', { domain: 'a-first.example' });
      const list = await app.json('/api/domains');
      expect(list.items.map((d: { domain: string }) => d.domain)).toEqual(['a-first.example', 'xn--bcher-kva.example']);
      const res = await app.api('/api/domains/nowhere.example');
      expect(res.status).toBe(404);
      expect((await res.json()).code).toBe('DOMAIN_NOT_WATCHED');
    });

    it('DELETE removes the domain (204), then 404', async () => {
      expect((await app.api('/api/domains/a-first.example', { method: 'DELETE' })).status).toBe(204);
      expect((await app.api('/api/domains/a-first.example', { method: 'DELETE' })).status).toBe(404);
      expect((await app.api('/api/domains/a-first.example')).status).toBe(404);
    });
  });

  describe('auth', () => {
    it.each([
      ['POST', '/api/domains'],
      ['GET', '/api/domains'],
      ['GET', '/api/domains/xn--bcher-kva.example'],
      ['DELETE', '/api/domains/xn--bcher-kva.example'],
      ['POST', '/api/domains/xn--bcher-kva.example/checks'],
      ['GET', '/api/domains/xn--bcher-kva.example/checks'],
      ['GET', '/api/domains/xn--bcher-kva.example/advice'],
      ['GET', '/api/domains/xn--bcher-kva.example/advice/history'],
      ['POST', '/api/domains/xn--bcher-kva.example/transitions'],
      ['GET', '/api/domains/xn--bcher-kva.example/policy-fetches'],
    ])('%s %s without a token → 401', async (method, path) => {
      expect((await app.api(path, { method, token: null })).status).toBe(401);
    });

    it.each([
      ['POST', '/api/domains', { domain: 'x.example' }],
      ['DELETE', '/api/domains/xn--bcher-kva.example', undefined],
      ['POST', '/api/domains/xn--bcher-kva.example/checks', undefined],
      ['POST', '/api/domains/xn--bcher-kva.example/transitions', { proposalId: 'abc' }],
    ])('%s %s with a read token → 403 (admin only)', async (method, path, body) => {
      const res = await app.api(path, { method, token: readToken, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
      expect(res.status).toBe(403);
    });

    it.each(['/api/domains', '/api/domains/xn--bcher-kva.example', '/api/domains/xn--bcher-kva.example/checks', '/api/domains/xn--bcher-kva.example/advice/history', '/api/domains/xn--bcher-kva.example/policy-fetches'])(
      'GET %s with a read token → 200',
      async (path) => {
        expect((await app.api(path, { token: readToken })).status).toBe(200);
      },
    );
  });

  describe('checks, advice and transitions', () => {
    it('advice before any check → 409 NO_CHECK', async () => {
      await post('/api/domains', { domain: DOMAIN });
      const res = await app.api(`/api/domains/${DOMAIN}/advice`);
      expect(res.status).toBe(409);
      expect((await res.json()).code).toBe('NO_CHECK');
    });

    it('ROLL-2: a transition whose TXT is not seen by the deadline is expired, still served, and raises TRANSITION_OVERDUE', async () => {
      const r = await (await post(`/api/domains/${DOMAIN}/checks`)).json();
      expect(r.advice.advice.verdict).toBe('start-testing');
      const accepted = await post(`/api/domains/${DOMAIN}/transitions`, { proposalId: r.advice.advice.proposed.id });
      expect(accepted.status).toBe(201);
      const { transition } = await accepted.json();

      now = new Date(now.getTime() + 47 * HOUR_MS);
      const early = await app.json(`/api/domains/${DOMAIN}/advice`);
      expect(early.openTransition.status).toBe('pending');
      expect(early.alerts).toEqual([]);

      now = new Date(now.getTime() + 2 * HOUR_MS);
      const late = await app.json(`/api/domains/${DOMAIN}/advice`);
      expect(late.openTransition).toMatchObject({ status: 'expired', policyId: transition.policyId });
      expect(late.alerts).toHaveLength(1);
      expect(late.alerts[0]).toMatchObject({ code: 'TRANSITION_OVERDUE', evidence: { policyId: transition.policyId, deadline: transition.deadline } });
      expect(late.alerts[0].message).toContain(`v=STSv1; id=${transition.policyId}`);
      const served = await getWithHost(app.baseUrl, '/.well-known/mta-sts.txt', `mta-sts.${DOMAIN}`);
      expect(served).toMatchObject({ status: 200, body: transition.policy });
    });

    it('deleting the domain drops its checks, transitions and hosting', async () => {
      expect((await app.api(`/api/domains/${DOMAIN}`, { method: 'DELETE' })).status).toBe(204);
      expect((await getWithHost(app.baseUrl, '/.well-known/mta-sts.txt', `mta-sts.${DOMAIN}`)).status).toBe(404);
      await post('/api/domains', { domain: DOMAIN });
      expect((await app.json(`/api/domains/${DOMAIN}/checks`)).items).toEqual([]);
      expect((await app.json(`/api/domains/${DOMAIN}/transitions`)).items).toEqual([]);
    });

    it('ROLL-1: a domain registered with enforce already live starts its history there and is never advised back to start-testing', async () => {
      dep.policyHost.respond({ body: ENFORCE_BODY });
      dep.publish({ stsTxt: ['v=STSv1; id=20240101000000'], tlsrptTxt: ['v=TLSRPTv1; rua=mailto:tls@watched.test'], mx: [MX1] });
      const r = await (await post(`/api/domains/${DOMAIN}/checks`)).json();
      expect(r.check.summary).toMatchObject({ policyId: '20240101000000', mode: 'enforce', errors: 0 });
      expect(r.advice.advice.state).toBe('enforce');
      expect(r.advice.advice.verdict).not.toBe('start-testing');
      // No transition accepted here: the policy host serves the body seen live, unchanged.
      const served = await getWithHost(app.baseUrl, '/.well-known/mta-sts.txt', `mta-sts.${DOMAIN}`);
      expect(served).toMatchObject({ status: 200, body: ENFORCE_BODY });
    });

    it('with REQUIRE_DKIM_FOR_EVIDENCE=true an unsigned report is stored but not counted, and the advice says so', async () => {
      const day = now.toISOString().slice(0, 10);
      const payload = stsReport({ org: 'Google Inc.', reportId: 'unsigned-1', domain: DOMAIN, day, policyBody: ENFORCE_BODY, mx: [MX1], ok: 100 });
      const sent = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload, policyDomain: DOMAIN }) });
      expect(sent.final.code).toBe(250);
      now = new Date(now.getTime() + 24 * HOUR_MS);
      const a = await app.json(`/api/domains/${DOMAIN}/advice`);
      expect(a.evidence).toMatchObject({ requireDkim: true, reportsConsidered: 1, reportsCounted: 0, reportsUnauthenticated: 1 });
      expect(a.evidence.note).toContain('REQUIRE_DKIM_FOR_EVIDENCE=true');
      expect(a.advice.blockers.map((b: { code: string }) => b.code)).toContain('NO_REPORTS');
    });

    it('a transition without a proposal → 409 NO_PROPOSAL', async () => {
      const a = await app.json(`/api/domains/${DOMAIN}/advice`);
      expect(a.advice).toMatchObject({ verdict: 'fix-deployment', proposed: null });
      const res = await post(`/api/domains/${DOMAIN}/transitions`, { proposalId: '20240101000000' });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: 'NO_PROPOSAL', verdict: 'fix-deployment' });
    });

    it('checks are listed newest first, keyset-paginated', async () => {
      await post(`/api/domains/${DOMAIN}/checks`);
      await post(`/api/domains/${DOMAIN}/checks`);
      const first = await app.json(`/api/domains/${DOMAIN}/checks?limit=2`);
      expect(first.items).toHaveLength(2);
      expect(first.items[0].id).toBeGreaterThan(first.items[1].id);
      expect(first.nextCursor).toBe(first.items[1].id);
      const rest = await app.json(`/api/domains/${DOMAIN}/checks?limit=2&cursor=${first.nextCursor}`);
      expect(rest.items).toHaveLength(1);
      expect(rest.nextCursor).toBeNull();
      expect(first.items[0]).toMatchObject({ summary: { policyId: '20240101000000' }, observed: { mx: [MX1] } });
      expect((await app.api(`/api/domains/${DOMAIN}/checks?limit=0`)).status).toBe(400);
    });

    it('advice history: one entry per check, plus requested advice only when it changed', async () => {
      const before = (await app.json(`/api/domains/${DOMAIN}/advice/history?limit=500`)).items.length;
      await app.json(`/api/domains/${DOMAIN}/advice`);
      await app.json(`/api/domains/${DOMAIN}/advice`);
      expect((await app.json(`/api/domains/${DOMAIN}/advice/history?limit=500`)).items.length).toBe(before);
      await post(`/api/domains/${DOMAIN}/checks`);
      const after = await app.json(`/api/domains/${DOMAIN}/advice/history?limit=500`);
      expect(after.items.length).toBe(before + 1);
      expect(after.items[0]).toMatchObject({ trigger: 'check', advice: { state: 'enforce' } });
    });
  });
});
