// One domain from nothing to enforce on a clock the test controls (issue 5 "Done when").
// Reports are built by the test and not DKIM-signed, so the app runs with REQUIRE_DKIM_FOR_EVIDENCE=false;
// domains.e2e-spec.ts shows that with the default (true) the same unsigned reports do not count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWithHost } from './fixtures/rollout/policy-request.js';
import { startLoopbackDeployment, type LoopbackDeployment } from './fixtures/rollout/loopback-deployment.js';
import { stsReport } from './fixtures/rollout/report-json.js';
import { buildReportMail } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

const DOMAIN = 'rollout.test';
const MX1 = 'mx1.rollout.test';
const MX2 = 'mx2.rollout.test';
const DAY_MS = 86_400_000;
const ORGS = ['Google Inc.', 'Microsoft Corporation'];

describe('rollout walk: none → testing → enforce → update-mx → rollback', () => {
  let dep: LoopbackDeployment;
  let app: TestApp;
  // Midnight UTC today plus one hour: report days line up with clock days.
  const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + 3_600_000);
  let now = start;
  const at = (days: number) => {
    now = new Date(start.getTime() + days * DAY_MS);
  };
  const dayOf = (days: number) => new Date(start.getTime() + days * DAY_MS).toISOString().slice(0, 10);
  const post = (path: string, body?: unknown) =>
    app.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const check = async () => {
    const res = await post(`/api/domains/${DOMAIN}/checks`);
    expect(res.status).toBe(201);
    return res.json();
  };
  const sendReports = async (fromDay: number, toDay: number, policyBody: string, counts: { ok: number; failed?: number; failures?: Array<Record<string, unknown>> }) => {
    for (let d = fromDay; d <= toDay; d++) {
      for (const org of ORGS) {
        const reportId = `${org.split(' ')[0]}-${dayOf(d)}-${policyBody.length}`;
        const payload = stsReport({ org, reportId, domain: DOMAIN, day: dayOf(d), policyBody, mx: [MX1], ...counts });
        const mail = buildReportMail({ payload, gzip: true, policyDomain: DOMAIN, reportId, submitter: org.split(' ')[0].toLowerCase() + '.test' });
        const sent = await sendSmtp({ port: app.smtpPort, to: [RUA], data: mail });
        expect(sent.final.code, sent.final.text).toBe(250);
      }
    }
  };
  const hosted = () => getWithHost(app.baseUrl, '/.well-known/mta-sts.txt', `mta-sts.${DOMAIN}`, { 'user-agent': 'walk-test' });
  const fetchCount = async () => (await app.json(`/api/domains/${DOMAIN}/policy-fetches?limit=500`)).items.length;

  beforeAll(async () => {
    dep = await startLoopbackDeployment(DOMAIN);
    app = await bootTestApp({ ...dep.env, REQUIRE_DKIM_FOR_EVIDENCE: 'false' }, { clock: () => now });
    dep.setUpstream(app.baseUrl);
    await dep.startMx({ host: MX1, address: '127.0.0.2', cert: 'good' });
    dep.publish({ mx: [MX1] });
  });
  afterAll(async () => {
    await app?.close();
    await dep?.stop();
  });

  let testingBody = '';
  let testingId = '';
  let enforceBody = '';
  let enforceId = '';

  it('registers the domain and proposes a first testing policy (ROLL-4)', async () => {
    const reg = await post('/api/domains', { domain: 'Rollout.TEST.' });
    expect(reg.status).toBe(201);
    expect((await reg.json()).domain.domain).toBe(DOMAIN);

    const first = await check();
    expect(first.check.observed.mx).toEqual([MX1]);
    expect(first.check.observed.mxProbes[0]).toMatchObject({ host: MX1, starttls: true, certValid: true });
    expect(first.advice.advice).toMatchObject({ state: 'none', verdict: 'start-testing' });
    expect(first.advice.advice.proposed).toMatchObject({ mode: 'testing', mx: [MX1], maxAge: 86400, tlsrptTxt: 'v=TLSRPTv1; rua=mailto:tlsrpt@reports.test' });
    // Nothing is hosted before the operator accepts a proposal.
    expect((await hosted()).status).toBe(404);
  });

  it('accepting the proposal hosts its body at once and returns the TXT to publish (ROLL-2)', async () => {
    const advice = await app.json(`/api/domains/${DOMAIN}/advice`);
    const proposed = advice.advice.proposed;
    const stale = await post(`/api/domains/${DOMAIN}/transitions`, { proposalId: 'x' + proposed.id.slice(1) });
    expect(stale.status).toBe(409);
    expect((await stale.json()).code).toBe('PROPOSAL_CHANGED');

    const res = await post(`/api/domains/${DOMAIN}/transitions`, { proposalId: proposed.id });
    expect(res.status).toBe(201);
    const accepted = await res.json();
    expect(accepted.transition).toMatchObject({ status: 'pending', policyId: proposed.id, mode: 'testing', policy: proposed.policy });
    expect(accepted.publish).toEqual([
      { name: `_mta-sts.${DOMAIN}`, type: 'TXT', value: `v=STSv1; id=${proposed.id}` },
      { name: `_smtp._tls.${DOMAIN}`, type: 'TXT', value: 'v=TLSRPTv1; rua=mailto:tlsrpt@reports.test' },
    ]);
    expect(accepted.transition.deadline).toBe(new Date(now.getTime() + 48 * 3_600_000).toISOString());
    testingBody = proposed.policy;
    testingId = proposed.id;

    const served = await hosted();
    expect(served).toMatchObject({ status: 200, body: testingBody });
    expect(served.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('the transition completes when a check sees the new id live; timers start there (ROLL-5)', async () => {
    dep.publish({ stsTxt: [`v=STSv1; id=${testingId}`], tlsrptTxt: ['v=TLSRPTv1; rua=mailto:tlsrpt@reports.test'], mx: [MX1] });
    const before = await fetchCount();
    const r = await check();
    expect(r.check.summary).toMatchObject({ policyId: testingId, mode: 'testing', errors: 0 });
    expect(r.advice.advice).toMatchObject({ state: 'testing', verdict: 'keep-testing' });
    expect(r.advice.advice.blockers.map((b: { code: string }) => b.code)).toEqual(expect.arrayContaining(['TESTING_TOO_SHORT', 'NO_REPORTS']));
    const transitions = await app.json(`/api/domains/${DOMAIN}/transitions`);
    expect(transitions.items[0]).toMatchObject({ policyId: testingId, status: 'completed', completedAt: now.toISOString() });
    // The checker fetched the policy through the proxy: logged with the proxy's client address.
    const fetches = await app.json(`/api/domains/${DOMAIN}/policy-fetches`);
    expect(fetches.items.length).toBe(before + 1);
    expect(fetches.items[0]).toMatchObject({ host: `mta-sts.${DOMAIN}`, policyId: testingId, fetchedAt: now.toISOString() });
    expect(fetches.items[0].clientIp).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('a month of clean current-policy reports from every organization → ready-to-enforce (ROLL-6)', async () => {
    await sendReports(0, 29, testingBody, { ok: 5000 });
    at(31);
    const r = await check();
    expect(r.advice.evidence).toMatchObject({ requireDkim: false, reportsCounted: 60 });
    expect(r.advice.advice).toMatchObject({ state: 'testing', verdict: 'ready-to-enforce', blockers: [] });
    expect(r.advice.advice.proposed).toMatchObject({ mode: 'enforce', mx: [MX1], maxAge: 604800 });
    expect(r.advice.advice.proposed.id).not.toBe(testingId);
  });

  it('accepting ready-to-enforce serves the enforce body under the old TXT id without an id-not-bumped finding (ROLL-2)', async () => {
    const advice = await app.json(`/api/domains/${DOMAIN}/advice`);
    expect(advice.advice.verdict).toBe('ready-to-enforce');
    const res = await post(`/api/domains/${DOMAIN}/transitions`, { proposalId: advice.advice.proposed.id });
    expect(res.status).toBe(201);
    enforceBody = advice.advice.proposed.policy;
    enforceId = advice.advice.proposed.id;
    expect(enforceBody).toContain('mode: enforce');

    const before = await fetchCount();
    const served = await hosted();
    expect(served).toMatchObject({ status: 200, body: enforceBody });
    const r = await check();
    expect(r.check.observed.policyFetch.body).toBe(enforceBody);
    expect(r.check.summary.policyId).toBe(testingId);
    expect(r.check.findings.map((f: { code: string }) => f.code)).not.toContain('POLICY_ID_NOT_BUMPED');
    expect(r.advice.advice.blockers.map((b: { code: string }) => b.code)).not.toContain('POLICY_ID_NOT_BUMPED');
    // The engine judges what is live (an enforce body nobody has reported on yet); the pending transition says what to do next.
    expect(r.advice.advice).toMatchObject({ state: 'enforce', verdict: 'fix-deployment' });
    expect(r.advice.openTransition).toMatchObject({ status: 'pending', policyId: enforceId });
    expect(r.advice.nextSteps[0]).toContain(`v=STSv1; id=${enforceId}`);
    const fetches = await app.json(`/api/domains/${DOMAIN}/policy-fetches`);
    expect(fetches.items.length).toBe(before + 2);
    expect(fetches.items.slice(0, 2).map((f: { policyId: string }) => f.policyId)).toEqual([enforceId, enforceId]);
    expect(fetches.items[1].userAgent).toBe('walk-test');
  });

  it('publishing the new id completes the transition: state enforce, and silence in enforce is a problem (ROLL-15)', async () => {
    dep.publish({ stsTxt: [`v=STSv1; id=${enforceId}`], tlsrptTxt: ['v=TLSRPTv1; rua=mailto:tlsrpt@reports.test'], mx: [MX1] });
    at(32);
    const r = await check();
    expect(r.check.summary).toMatchObject({ policyId: enforceId, mode: 'enforce' });
    expect(r.advice.advice).toMatchObject({ state: 'enforce', verdict: 'fix-deployment' });
    expect(r.advice.advice.blockers.map((b: { code: string }) => b.code)).toContain('NO_REPORTS');
    expect(r.advice.openTransition).toBeNull();
    const transitions = await app.json(`/api/domains/${DOMAIN}/transitions`);
    expect(transitions.items.map((t: { status: string }) => t.status)).toEqual(['completed', 'completed']);

    await sendReports(32, 38, enforceBody, { ok: 5000 });
    at(39);
    const ok = await check();
    expect(ok.advice.advice).toMatchObject({ state: 'enforce', verdict: 'enforced-ok', blockers: [] });
  });

  it('a new MX in DNS → update-mx with the union of hosts (ROLL-10)', async () => {
    await dep.startMx({ host: MX2, address: '127.0.0.3', cert: 'good' });
    dep.publish({ stsTxt: [`v=STSv1; id=${enforceId}`], tlsrptTxt: ['v=TLSRPTv1; rua=mailto:tlsrpt@reports.test'], mx: [MX1, MX2] });
    at(40);
    const r = await check();
    expect(r.advice.advice).toMatchObject({ state: 'enforce', verdict: 'update-mx' });
    expect(r.advice.advice.blockers.map((b: { code: string }) => b.code)).toContain('MX_NOT_COVERED');
    expect(r.advice.advice.proposed).toMatchObject({ mode: 'enforce', mx: [MX1, MX2] });
  });

  it('certificate failures in enforce → rollback to testing with a new id (ROLL-11)', async () => {
    const failures = [{ 'result-type': 'certificate-expired', 'receiving-mx-hostname': MX1, 'failed-session-count': 400 }];
    await sendReports(39, 40, enforceBody, { ok: 600, failed: 400, failures });
    await dep.startMx({ host: MX1, address: '127.0.0.2', cert: 'expired' });
    at(41);
    const r = await check();
    expect(r.check.observed.mxProbes.find((p: { host: string }) => p.host === MX1)).toMatchObject({ starttls: true, certValid: false });
    expect(r.advice.advice).toMatchObject({ state: 'enforce', verdict: 'rollback' });
    expect(r.advice.advice.blockers.map((b: { code: string }) => b.code)).toEqual(expect.arrayContaining(['REPORTED_TLS_FAILURES', 'MX_TLS_FAILED']));
    expect(r.advice.advice.proposed).toMatchObject({ mode: 'testing' });
    expect([testingId, enforceId]).not.toContain(r.advice.advice.proposed.id);
  });

  it('the advice history holds one entry per check, newest first', async () => {
    const h = await app.json(`/api/domains/${DOMAIN}/advice/history?limit=100`);
    const checks = h.items.filter((i: { trigger: string }) => i.trigger === 'check').map((i: { advice: { verdict: string } }) => i.advice.verdict);
    expect(checks).toEqual(['rollback', 'update-mx', 'enforced-ok', 'fix-deployment', 'fix-deployment', 'ready-to-enforce', 'keep-testing', 'start-testing']);
  });
});
