// RFC 8461 §3.3 policy hosting: exact body, 200 text/plain, never 3xx/429/HTML, 404 for other hosts,
// every fetch logged with the client address the trusted proxy reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWithHost, type PolicyAnswer } from './fixtures/rollout/policy-request.js';
import { startLoopbackDeployment, type LoopbackDeployment } from './fixtures/rollout/loopback-deployment.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const DOMAIN = 'hosted.test';
const MX1 = 'mx1.hosted.test';
const PATH = '/.well-known/mta-sts.txt';
const API_LIMIT = 80;

function expectPolicyAnswer(a: PolicyAnswer, body: string): void {
  expect(a.status).toBe(200);
  expect(a.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(a.headers.location).toBeUndefined();
  expect(a.headers['content-encoding']).toBeUndefined();
  expect(a.body).toBe(body);
}

/** Registers the domain, checks it and accepts the start-testing proposal: its body is then hosted. */
async function hostFirstPolicy(app: TestApp): Promise<{ body: string; id: string }> {
  const post = (path: string, body?: unknown) =>
    app.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  await post('/api/domains', { domain: DOMAIN });
  const r = await (await post(`/api/domains/${DOMAIN}/checks`)).json();
  const accepted = await post(`/api/domains/${DOMAIN}/transitions`, { proposalId: r.advice.advice.proposed.id });
  expect(accepted.status).toBe(201);
  return { body: r.advice.advice.proposed.policy, id: r.advice.advice.proposed.id };
}

describe('policy hosting', () => {
  let dep: LoopbackDeployment;
  let app: TestApp;
  let hosted: { body: string; id: string };
  const get = (host: string, headers: Record<string, string> = {}, path = PATH, method = 'GET') => getWithHost(app.baseUrl, path, host, headers, method);
  /** Every logged fetch, newest first, through the keyset pages. */
  const fetches = async () => {
    const all: Array<Record<string, unknown>> = [];
    let cursor: number | null = null;
    do {
      const page: { items: Array<Record<string, unknown>>; nextCursor: number | null } = await app.json(
        `/api/domains/${DOMAIN}/policy-fetches?limit=200${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return all;
  };

  beforeAll(async () => {
    dep = await startLoopbackDeployment(DOMAIN);
    // A low API rate limit, so that the hammer below goes far past it.
    app = await bootTestApp({ ...dep.env, API_RATE_LIMIT: String(API_LIMIT) });
    dep.setUpstream(app.baseUrl);
    await dep.startMx({ host: MX1, address: '127.0.0.2', cert: 'good' });
    dep.publish({ mx: [MX1] });
    hosted = await hostFirstPolicy(app);
  });
  afterAll(async () => {
    await app?.close();
    await dep?.stop();
  });

  it('STS-FET: mta-sts.<domain> gets the exact hosted body, 200, text/plain, without a token', async () => {
    expectPolicyAnswer(await get(`mta-sts.${DOMAIN}`), hosted.body);
    expect(hosted.body).toBe(`version: STSv1\r\nmode: testing\r\nmx: ${MX1}\r\nmax_age: 86400\r\n`);
  });

  it('host names match case-insensitively, with a port or a trailing dot', async () => {
    for (const host of [`MTA-STS.Hosted.TEST`, `mta-sts.${DOMAIN}:443`, `mta-sts.${DOMAIN}.`]) expectPolicyAnswer(await get(host), hosted.body);
  });

  it.each([['example.com'], [`mta-sts.unknown.test`], [DOMAIN], [`www.mta-sts.${DOMAIN}`], ['127.0.0.1'], ['mta-sts.']])(
    'Host %j → 404 text/plain, not HTML',
    async (host) => {
      const a = await get(host);
      expect(a.status).toBe(404);
      expect(a.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(a.body).not.toMatch(/<html/i);
    },
  );

  it('odd Accept, conditional and encoding headers never turn the answer into HTML, JSON, 304 or gzip', async () => {
    const variants: Record<string, string>[] = [
      { accept: 'text/html,application/xhtml+xml' },
      { accept: 'application/json' },
      { accept: '*/*' },
      { accept: 'image/png' },
      { 'if-none-match': '*' },
      { 'if-modified-since': new Date().toUTCString() },
      { 'accept-encoding': 'gzip, br' },
    ];
    for (const headers of variants) expectPolicyAnswer(await get(`mta-sts.${DOMAIN}`, headers), hosted.body);
  });

  it('trailing slashes, query strings and case never redirect', async () => {
    for (const path of [`${PATH}/`, `${PATH}?x=1`, `${PATH}//`, '/.well-known/MTA-STS.TXT', '/.well-known/', '/.well-known/mta-sts.txt.html']) {
      const a = await get(`mta-sts.${DOMAIN}`, { accept: 'text/html' }, path);
      expect([200, 404], path).toContain(a.status);
      expect(a.body, path).not.toMatch(/<html/i);
      if (a.status === 200) expect(a.body).toBe(hosted.body);
    }
  });

  it('HEAD answers 200 with the body length and no body', async () => {
    const a = await get(`mta-sts.${DOMAIN}`, {}, PATH, 'HEAD');
    expect(a.status).toBe(200);
    expect(a.headers['content-length']).toBe(String(Buffer.byteLength(hosted.body)));
    expect(a.body).toBe('');
  });

  it('hammered far past any rate limit, every answer is still 200 (never 429)', async () => {
    const statuses = new Map<number, number>();
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => get(`mta-sts.${DOMAIN}`, { 'user-agent': 'hammer' })));
      for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    }
    expect([...statuses]).toEqual([[200, 500]]);
  });

  it('every fetch is logged with the client address from the trusted proxy, user agent and policy id served', async () => {
    const before = (await fetches()).length;
    await get(`mta-sts.${DOMAIN}`, { 'x-forwarded-for': '203.0.113.9', 'user-agent': 'Sender-MTA/1.0' });
    const items = await fetches();
    expect(items.length).toBe(before + 1);
    expect(items[0]).toMatchObject({ clientIp: '203.0.113.9', userAgent: 'Sender-MTA/1.0', host: `mta-sts.${DOMAIN}`, policyId: hosted.id });
    expect(items.filter((f) => f.userAgent === 'hammer')).toHaveLength(500);
  });

  it('the on-demand TLS ask endpoint (no token) says 200 only for mta-sts.<watched domain>', async () => {
    const ask = (domain: string) => app.api(`/api/policy-hosting/ask?domain=${encodeURIComponent(domain)}`, { token: null });
    const ok = await ask(`mta-sts.${DOMAIN}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ host: `mta-sts.${DOMAIN}`, domain: DOMAIN });
    for (const other of [DOMAIN, 'mta-sts.unknown.test', `www.${DOMAIN}`, '']) expect((await ask(other)).status, other).toBe(404);
    expect((await app.api('/api/policy-hosting/ask', { token: null })).status).toBe(404);
  });

  it('404 answers for other hosts are not logged against the domain', async () => {
    const before = (await fetches()).length;
    await get('mta-sts.unknown.test');
    await get(DOMAIN);
    expect((await fetches()).length).toBe(before);
  });

  // Last in this block: it uses up the API budget of the current window.
  it('the API rate limit is live in this app (429 on /api), yet the policy route still answers 200', async () => {
    const api = await Promise.all(Array.from({ length: API_LIMIT + 20 }, () => app.api('/api/domains')));
    expect(api.some((r) => r.status === 429)).toBe(true);
    const policy = await Promise.all(Array.from({ length: 50 }, () => get(`mta-sts.${DOMAIN}`)));
    expect(policy.map((a) => a.status)).toEqual(Array(50).fill(200));
  });
});

describe('policy hosting without TRUSTED_PROXIES', () => {
  let dep: LoopbackDeployment;
  let app: TestApp;

  beforeAll(async () => {
    dep = await startLoopbackDeployment(DOMAIN);
    const { TRUSTED_PROXIES: _ignored, ...env } = dep.env;
    app = await bootTestApp(env);
    dep.setUpstream(app.baseUrl);
    await dep.startMx({ host: MX1, address: '127.0.0.2', cert: 'good' });
    dep.publish({ mx: [MX1] });
    await hostFirstPolicy(app);
  });
  afterAll(async () => {
    await app?.close();
    await dep?.stop();
  });

  it('a forged X-Forwarded-For / X-Forwarded-Host is ignored: the peer address is logged and Host decides', async () => {
    const a = await getWithHost(app.baseUrl, PATH, `mta-sts.${DOMAIN}`, { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-host': 'mta-sts.other.test' });
    expect(a.status).toBe(200);
    const items = (await app.json(`/api/domains/${DOMAIN}/policy-fetches`)).items;
    expect(items[0].clientIp).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});
