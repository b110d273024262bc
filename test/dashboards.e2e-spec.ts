import pg from 'pg';
import { DataSource } from 'typeorm';
import { rebuildRollups, refreshStaleMonths } from '@app/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BREAKDOWN_DIMENSIONS } from '../apps/server/src/dashboards/dashboards.query.js';
import { breakdownStatement } from '../apps/server/src/dashboards/breakdown-sql.js';
import { OVERVIEW_SQL, SERIES_SQL } from '../apps/server/src/dashboards/dashboards.service.js';
import { FAILURE_CSV_COLUMNS } from '../apps/server/src/dashboards/failure-export.service.js';
import { buildReportMail, makeReport } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

// Hand-computed fixture: example.com gets 2 reports (Alpha 90 ok/10 failed on 03-01, Beta 45 ok/5 failed on 03-02),
// other.test 1 report (Alpha 20 ok on 03-01). R1 is delivered twice: the duplicate must change no number.
const R1_FAILURES = [
  { 'result-type': 'starttls-not-supported', 'sending-mta-ip': '192.0.2.1', 'receiving-ip': '198.51.100.1', 'receiving-mx-hostname': 'MX1.example.com', 'failed-session-count': 6, 'failure-reason-code': 'TLS_NOT_OFFERED' },
  { 'result-type': 'certificate-expired', 'sending-mta-ip': '192.0.2.2', 'receiving-ip': '198.51.100.2', 'receiving-mx-hostname': 'mx2.example.com', 'failed-session-count': 4, 'additional-information': 'https://reporter.test/why,expired' },
];
const R2_FAILURES = [
  { 'result-type': 'starttls-not-supported', 'sending-mta-ip': '192.0.2.1', 'receiving-ip': '198.51.100.1', 'receiving-mx-hostname': 'mx1.example.com', 'failed-session-count': 5 },
];
const REPORTS = [
  makeReport({ org: 'Alpha Mail', reportId: 'dash-r1', domain: 'example.com', day: '2024-03-01', ok: 90, failed: 10, failures: R1_FAILURES }),
  makeReport({ org: 'Beta Mail', reportId: 'dash-r2', domain: 'example.com', day: '2024-03-02', ok: 45, failed: 5, failures: R2_FAILURES }),
  makeReport({ org: 'Alpha Mail', reportId: 'dash-r3', domain: 'other.test', day: '2024-03-01', ok: 20, failed: 0 }),
];
const PERIOD = 'from=2024-03-01&to=2024-03-03';
const ROLLUPS = new Set(['daily_policy_rollup', 'daily_failure_rollup', 'daily_failure_dimension', 'monthly_failure_dimension']);
// Read by breakdowns, not a rollup of its own: the months whose month rows are being recomputed from their days.
const READ_BY_DASHBOARDS = new Set([...ROLLUPS, 'stale_dimension_month']);

describe('failure dashboards (real app, real PostgreSQL, reports sent over SMTP)', () => {
  let app: TestApp;
  let db: pg.Pool;
  let readToken: string;

  beforeAll(async () => {
    app = await bootTestApp();
    db = new pg.Pool({ connectionString: app.db.url, max: 2 });
    for (const [i, json] of [...REPORTS, REPORTS[0]].entries()) {
      const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: json, gzip: true, reportId: `m${i}` }) });
      expect(res.final.code).toBe(250);
    }
    const created = await app.json('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'dashboard reader', scope: 'read' }) });
    readToken = created.token;
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('domains overview: sessions, failure rate, organizations per domain; advice stays null until the engine is joined', async () => {
    const body = await app.json(`/api/dashboards/domains?${PERIOD}`, { token: readToken });
    expect(body.period).toEqual({ from: '2024-03-01', to: '2024-03-03' });
    expect(body.domains.map((d: any) => ({ ...d, lastReportAt: typeof d.lastReportAt }))).toEqual([
      { domain: 'example.com', successfulSessions: 135, failedSessions: 15, totalSessions: 150, failureRate: 0.1, reports: 2, lastReportAt: 'string', organizations: ['Alpha Mail', 'Beta Mail'], advice: null },
      { domain: 'other.test', successfulSessions: 20, failedSessions: 0, totalSessions: 20, failureRate: 0, reports: 1, lastReportAt: 'string', organizations: ['Alpha Mail'], advice: null },
    ]);
    expect(Date.parse(body.domains[0].lastReportAt)).toBeGreaterThan(Date.now() - 600_000);
    const later = await app.json('/api/dashboards/domains?from=2024-03-02&to=2024-03-02');
    expect(later.domains).toEqual([expect.objectContaining({ domain: 'example.com', successfulSessions: 45, failedSessions: 5, organizations: ['Beta Mail'] })]);
  });

  it('daily series: one zero-filled entry per day, failures split by result type', async () => {
    const body = await app.json(`/api/dashboards/domains/Example.COM./series?${PERIOD}`, { token: readToken });
    expect(body).toEqual({
      domain: 'example.com',
      period: { from: '2024-03-01', to: '2024-03-03' },
      days: [
        { day: '2024-03-01', successfulSessions: 90, failedSessions: 10, failureRate: 0.1, failuresByResultType: { 'starttls-not-supported': 6, 'certificate-expired': 4 } },
        { day: '2024-03-02', successfulSessions: 45, failedSessions: 5, failureRate: 0.1, failuresByResultType: { 'starttls-not-supported': 5 } },
        { day: '2024-03-03', successfulSessions: 0, failedSessions: 0, failureRate: null, failuresByResultType: {} },
      ],
    });
  });

  it.each([
    ['organization', [['Alpha Mail', 10, 0.666667], ['Beta Mail', 5, 0.333333]]],
    ['receiving-mx', [['mx1.example.com', 11, 0.733333], ['mx2.example.com', 4, 0.266667]]],
    ['receiving-ip', [['198.51.100.1', 11, 0.733333], ['198.51.100.2', 4, 0.266667]]],
    ['sending-ip', [['192.0.2.1', 11, 0.733333], ['192.0.2.2', 4, 0.266667]]],
    ['result-type', [['starttls-not-supported', 11, 0.733333], ['certificate-expired', 4, 0.266667]]],
    ['failure-reason-code', [[null, 9, 0.6], ['TLS_NOT_OFFERED', 6, 0.4]]],
  ] as const)('breakdown by %s: failed sessions and share, largest first', async (dimension, expected) => {
    const body = await app.json(`/api/dashboards/domains/example.com/breakdowns/${dimension}?${PERIOD}`, { token: readToken });
    expect(body).toEqual({
      domain: 'example.com',
      dimension,
      period: { from: '2024-03-01', to: '2024-03-03' },
      totalFailedSessions: 15,
      truncated: false,
      otherFailedSessions: 0,
      items: expected.map(([value, failedSessions, share]) => ({ value, failedSessions, share })),
    });
  });

  it.each([
    ['2024-02-15', '2024-03-31', 15], // March from the monthly rollup, February days from the daily one
    ['2024-03-01', '2024-04-30', 15], // whole months only
    ['2024-03-02', '2024-03-31', 5], // no whole month
    ['2024-01-01', '2024-02-29', 0],
  ])('breakdowns over %s..%s add monthly and edge-day rollups without double counting', async (from, to, total) => {
    const body = await app.json(`/api/dashboards/domains/example.com/breakdowns/sending-ip?from=${from}&to=${to}`);
    expect(body.totalFailedSessions).toBe(total);
    expect(body.items.reduce((sum: number, i: any) => sum + i.failedSessions, 0)).toBe(total);
  });

  it('breakdown CSV export and limit', async () => {
    const res = await app.api(`/api/dashboards/domains/example.com/breakdowns/failure-reason-code?${PERIOD}&format=csv`, { token: readToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="example.com-failure-reason-code-2024-03-01-2024-03-03.csv"');
    expect(await res.text()).toBe('failure-reason-code,failed_sessions,share\r\n,9,0.6\r\nTLS_NOT_OFFERED,6,0.4\r\n');
    const limited = await app.json(`/api/dashboards/domains/example.com/breakdowns/organization?${PERIOD}&limit=1`);
    expect(limited).toMatchObject({ truncated: true, totalFailedSessions: 15, otherFailedSessions: 5, items: [{ value: 'Alpha Mail', failedSessions: 10 }] });
  });

  it('failure details export as CSV (parsedmarc columns) and JSON, one row per failure detail', async () => {
    const csv = await app.api(`/api/exports/failures?domain=example.com&${PERIOD}&format=csv`, { token: readToken });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe(FAILURE_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(5); // header, 3 rows, trailing empty string
    expect(lines[1]).toMatch(
      /^Alpha Mail,2024-03-01T00:00:00\.000Z,2024-03-01T23:59:59\.000Z,dash-r1,example\.com,sts,version: STSv1\|mode: testing\|mx: mx1\.example\.com\|max_age: 86400,mx1\.example\.com,90,6,starttls-not-supported,192\.0\.2\.1,198\.51\.100\.1,MX1\.example\.com,,,TLS_NOT_OFFERED,\d+$/,
    );
    expect(lines[2]).toContain(',4,certificate-expired,192.0.2.2,198.51.100.2,mx2.example.com,,"https://reporter.test/why,expired",,');
    const json = await app.json(`/api/exports/failures?domain=example.com&${PERIOD}`, { token: readToken });
    expect(json.map((r: any) => [r.organization_name, r.report_id, r.result_type, r.failed_session_count])).toEqual([
      ['Alpha Mail', 'dash-r1', 'starttls-not-supported', 6],
      ['Alpha Mail', 'dash-r1', 'certificate-expired', 4],
      ['Beta Mail', 'dash-r2', 'starttls-not-supported', 5],
    ]);
    expect(Object.keys(json[0])).toEqual([...FAILURE_CSV_COLUMNS]);
    const empty = await app.json(`/api/exports/failures?domain=other.test&${PERIOD}`);
    expect(empty).toEqual([]);
  });

  it('auth: no token 401, unknown token 401, read token 403 on token admin, revoked token 401', async () => {
    const readPaths = [
      `/api/dashboards/domains?${PERIOD}`,
      `/api/dashboards/domains/example.com/series?${PERIOD}`,
      `/api/dashboards/domains/example.com/breakdowns/organization?${PERIOD}`,
      `/api/exports/failures?domain=example.com&format=csv`,
    ];
    for (const path of readPaths) {
      expect((await app.api(path, { token: null })).status, path).toBe(401);
      expect((await app.api(path, { token: 'stsp_not-a-real-token' })).status, path).toBe(401);
      expect((await app.api(path, { token: readToken })).status, path).toBe(200);
    }
    expect((await app.api('/api/tokens', { token: readToken })).status).toBe(403);
    expect((await app.api('/api/tokens', { token: null })).status).toBe(401);
    expect((await app.api('/api/tokens', { method: 'POST', token: readToken, headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' })).status).toBe(403);
    expect((await app.api('/api/tokens/1', { method: 'DELETE', token: readToken })).status).toBe(403);
  });

  it('token admin: list shows no secret, create returns the token once, revoke takes effect at once', async () => {
    const created = await app.json('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'temp' }) });
    expect(created).toMatchObject({ name: 'temp', scope: 'read' });
    expect(created.token).toMatch(/^stsp_/);
    expect((await app.api('/api/dashboards/domains', { token: created.token })).status).toBe(200);
    const list = await app.json('/api/tokens');
    const entry = list.items.find((t: any) => t.id === created.id);
    expect(entry).toMatchObject({ name: 'temp', scope: 'read', prefix: created.token.slice(0, 9), revokedAt: null });
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect((await app.api(`/api/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await app.api('/api/dashboards/domains', { token: created.token })).status).toBe(401);
    expect((await app.api(`/api/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    const bad = await app.api('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', scope: 'root' }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).field).toBe('scope');
  });

  it.each([
    ['/api/dashboards/domains?from=yesterday', 'from'],
    ['/api/dashboards/domains?from=2024-02-30', 'from'],
    ['/api/dashboards/domains?from=2024-03-05&to=2024-03-01', 'from'],
    ['/api/dashboards/domains?from=2020-01-01&to=2024-03-01', 'from'],
    ['/api/dashboards/domains?sort=x', 'request'],
    ['/api/dashboards/domains/example.com/breakdowns/colour', 'request'],
    ['/api/dashboards/domains/example.com/breakdowns/organization?format=xml', 'format'],
    ['/api/dashboards/domains/example.com/breakdowns/organization?limit=0', 'limit'],
    ['/api/dashboards/domains/not_a..domain/series', 'domain'],
    ['/api/exports/failures', 'domain'],
  ])('a bad filter gets 400 naming the field: %s', async (path, field) => {
    const res = await app.api(path, { token: readToken });
    expect(res.status).toBe(400);
    expect((await res.json()).field).toBe(field);
  });

  it('GET /metrics is open and counts reports, duplicates and sessions by result type', async () => {
    const res = await app.api('/metrics', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('sts_pilot_reports_ingested_total{source="smtp"} 3');
    expect(text).toContain('sts_pilot_report_duplicates_total{source="smtp"} 1');
    expect(text).toContain('sts_pilot_sessions_total{result_type="success"} 155');
    expect(text).toContain('sts_pilot_sessions_total{result_type="starttls-not-supported"} 11');
    expect(text).toContain('sts_pilot_sessions_total{result_type="certificate-expired"} 4');
  });

  it('rebuildRollups recomputes exactly the rollups maintained at ingest (month rows once the refresh has run)', async () => {
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const t of ROLLUPS) {
        const period = t === 'monthly_failure_dimension' ? 'month' : 'day';
        const sql =
          t === 'daily_policy_rollup'
            ? `SELECT policy_domain, day::text, organization, policy_type, successful_sessions::int, failed_sessions::int, reports FROM ${t}`
            : t === 'daily_failure_rollup'
              ? `SELECT *, day::text AS day, sessions::int AS sessions FROM ${t}`
              : // one row per value, whatever order the arrays hold them in
                `SELECT r.policy_domain, r.dimension, r.${period}::text AS ${period}, u.value, u.sessions::int AS sessions
                   FROM ${t} r, unnest(r.value_list, r.session_list) AS u(value, sessions)`;
        out[t] = (await db.query(`${sql} ORDER BY 1, 2, 3, 4`)).rows;
      }
      return out;
    };
    expect(await refreshStaleMonths(app.server.app.get(DataSource), { now: new Date() })).toEqual({ months: 6 });
    const before = await snapshot();
    // 03-01: 1 organization + 2 MX + 2 receiving IPs + 2 sending IPs + 2 result types + 2 reason codes; 03-02: 6 × 1.
    expect(before.daily_failure_dimension).toHaveLength(17);
    await db.query(`UPDATE daily_failure_dimension SET session_list = array_fill(999::bigint, ARRAY[cardinality(value_list)])`);
    const ds = app.server.app.get(DataSource);
    expect(await rebuildRollups(ds, { from: '2024-03-01', to: '2024-03-01' })).toEqual({ policyRows: 2, failureRows: 2, dimensionRows: 11, monthRows: 12, keptFailureDays: [] });
    expect((await db.query(`SELECT DISTINCT n::int FROM daily_failure_dimension, unnest(session_list) AS n WHERE day = '2024-03-02'`)).rows).toEqual([{ n: 999 }]);
    expect(await rebuildRollups(ds)).toEqual({ policyRows: 3, failureRows: 3, dimensionRows: 17, monthRows: 12, keptFailureDays: [] });
    expect(await snapshot()).toEqual(before);
  });

  it('a rebuild keeps the failure rollups of days whose failure details retention has deleted', async () => {
    const ds = app.server.app.get(DataSource);
    const breakdown = () => app.json(`/api/dashboards/domains/example.com/breakdowns/result-type?${PERIOD}`);
    const before = await breakdown();
    const saved = (await db.query(`SELECT * FROM failure_detail WHERE day = '2024-03-01' ORDER BY policy_pk, position`)).rows;
    expect(saved).toHaveLength(2);
    await db.query(`DELETE FROM failure_detail WHERE day = '2024-03-01'`);
    try {
      expect(await rebuildRollups(ds)).toEqual({ policyRows: 3, failureRows: 1, dimensionRows: 6, monthRows: 12, keptFailureDays: ['2024-03-01'] });
      expect(await breakdown()).toEqual(before);
    } finally {
      for (const row of saved) {
        const cols = Object.keys(row);
        await db.query(`INSERT INTO failure_detail (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
      }
    }
  });

  it('EXPLAIN: overview, series and breakdown queries read only rollup tables', async () => {
    const queries: Array<[string, unknown[]]> = [
      [OVERVIEW_SQL, ['2024-01-01', '2024-12-31']],
      [SERIES_SQL, ['example.com', '2024-01-01', '2024-12-31']],
      ...BREAKDOWN_DIMENSIONS.map((d): [string, unknown[]] => {
        const { sql, params } = breakdownStatement('example.com', d, { from: '2024-01-15', to: '2024-12-31' });
        return [sql, params];
      }),
    ];
    for (const [sql, params] of queries) {
      const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const relations = new Set<string>();
      const walk = (node: any) => {
        if (node['Relation Name']) relations.add(node['Relation Name']);
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(rows[0]['QUERY PLAN'][0].Plan);
      expect(relations.size, sql).toBeGreaterThan(0);
      for (const r of relations) expect(READ_BY_DASHBOARDS.has(r), `${r} in ${sql}`).toBe(true);
    }
  });

  it('the OpenAPI document lists every route the tests call, with response schemas matching the bodies seen', async () => {
    const res = await app.api('/api/docs-json', { token: null });
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect((await app.api('/api/docs', { token: null })).status).toBe(200);
    const schemas = doc.components.schemas;
    const refOf = (path: string, method: string, status: string) => {
      const content = doc.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;
      expect(content, `${method} ${path} ${status}`).toBeDefined();
      return content.$ref ? content.$ref.split('/').pop() : content.items.$ref.split('/').pop();
    };
    // Every key of a body seen in the tests is a documented property, and every required property is present.
    const conforms = (name: string, body: Record<string, unknown>) => {
      const schema = schemas[name];
      expect(schema, name).toBeDefined();
      expect(Object.keys(body).sort(), name).toEqual(Object.keys(schema.properties).sort());
    };
    conforms(refOf('/api/dashboards/domains', 'get', '200'), await app.json(`/api/dashboards/domains?${PERIOD}`));
    conforms('DomainOverviewDto', (await app.json(`/api/dashboards/domains?${PERIOD}`)).domains[0]);
    conforms(refOf('/api/dashboards/domains/{domain}/series', 'get', '200'), await app.json(`/api/dashboards/domains/example.com/series?${PERIOD}`));
    conforms('SeriesDayDto', (await app.json(`/api/dashboards/domains/example.com/series?${PERIOD}`)).days[0]);
    const breakdown = await app.json(`/api/dashboards/domains/example.com/breakdowns/organization?${PERIOD}`);
    conforms(refOf('/api/dashboards/domains/{domain}/breakdowns/{dimension}', 'get', '200'), breakdown);
    conforms('BreakdownItemDto', breakdown.items[0]);
    conforms(refOf('/api/exports/failures', 'get', '200'), (await app.json(`/api/exports/failures?domain=example.com&${PERIOD}`))[0]);
    conforms(refOf('/api/tokens', 'get', '200'), await app.json('/api/tokens'));
    conforms('TokenDto', (await app.json('/api/tokens')).items[0]);
    const created = await app.json('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"doc"}' });
    conforms(refOf('/api/tokens', 'post', '201'), created);
    expect(doc.paths['/api/tokens/{id}'].delete.responses['204']).toBeDefined();
    expect(doc.paths['/metrics'].get.responses['200'].content['text/plain']).toBeDefined();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    // Structural validity: every $ref resolves, every operation has at least one response, path parameters are declared.
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) (k === '$ref' ? refs.push(v as string) : walk(v));
      }
    };
    walk(doc.paths);
    walk(doc.components);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
        const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name).sort();
        expect(declared, `${method} ${path}`).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
      }
    }
    for (const path of ['/api/quarantine/{id}/reparse', '/api/quarantine/reparse']) expect(doc.paths[path].post.responses['200'].content['application/json'].schema.$ref).toBeDefined();
  });
});

describe('metrics behind a token, API rate limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({ METRICS_REQUIRE_TOKEN: 'true', API_RATE_LIMIT: '5', API_RATE_LIMIT_WINDOW_MS: '60000' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('METRICS_REQUIRE_TOKEN=true: /metrics needs a valid token', async () => {
    expect((await app.api('/metrics', { token: null })).status).toBe(401);
    expect((await app.api('/metrics', { token: 'stsp_wrong' })).status).toBe(401);
    const ok = await app.api('/metrics');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE sts_pilot_reports_ingested_total counter');
  });

  it('the API answers 429 past the limit; health and metrics stay exempt', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await app.api('/api/dashboards/domains')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    for (let i = 0; i < 8; i++) expect((await app.api('/api/health', { token: null })).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await app.api('/metrics')).status).toBe(200);
  });
});
