/// <reference lib="dom" />
import { api, type ApiResult } from '../api-client.js';
import { badge } from '../components/badge.js';
import { sessionsChart } from '../components/chart.js';
import { copyBlock } from '../components/copy-button.js';
import { downloadButton } from '../components/download.js';
import { gettingStarted } from '../components/getting-started.js';
import { notice, table } from '../components/table.js';
import { h, replace, type Child } from '../dom.js';
import { breakdownFromApi, dailySeries, failureBreakdown, seriesFromApi, type ApiSeriesDay, type BreakdownKind, type BreakdownRow, type DailySeries, type ReportDetail, type ReportListItem } from '../evidence.js';
import { formatCount, formatTime, verdictBadge } from '../format.js';
import { href } from '../router.js';
import type { AdviceResponse } from '../api-types.js';
import type { PageContext } from './page-context.js';

/** How many report details the browser fetches to draw the chart and breakdowns. */
const DETAIL_LIMIT = 60;

export async function domainPage(page: HTMLElement, ctx: PageContext, domain: string): Promise<void> {
  const enc = encodeURIComponent(domain);
  const adviceBox = h('section', { class: 'card', 'aria-labelledby': 'advice-h' }, h('h2', { id: 'advice-h' }, 'Rollout advice'), h('p', { class: 'muted' }, 'Loading…'));
  const evidenceBox = h('section', { 'aria-labelledby': 'traffic-h' }, h('h2', { id: 'traffic-h' }, 'TLS sessions reported'), h('p', { class: 'muted' }, 'Loading…'));
  const checkBox = h('section', { class: 'card', 'aria-labelledby': 'check-h' }, h('h2', { id: 'check-h' }, 'Live check'), h('p', { class: 'muted' }, 'Loading…'));
  const fetchBox = h('section', { class: 'card', 'aria-labelledby': 'fetch-h' }, h('h2', { id: 'fetch-h' }, 'Policy fetch log'), h('p', { class: 'muted' }, 'Loading…'));
  const badgeSlot = h('span');
  replace(page,
    h('p', {}, h('a', { href: href.domains(), 'data-link': true }, '← Domains')),
    h('h1', {}, domain, ' ', badgeSlot),
    h('p', {}, h('a', { href: `${href.reports()}?domain=${enc}`, 'data-link': true }, `All reports for ${domain}`)),
    adviceBox, evidenceBox, h('div', { class: 'two-col' }, checkBox, fetchBox));

  const refresh = () => ctx.navigate(href.domain(domain), { replace: true });
  await Promise.all([
    loadAdvice(domain, enc, adviceBox, badgeSlot, ctx, refresh),
    loadEvidence(domain, evidenceBox, ctx),
    loadCheck(enc, checkBox, ctx, refresh),
    loadFetches(enc, fetchBox, ctx),
  ]);
}

function unavailable(what: string, res: Exclude<ApiResult<unknown>, { ok: true }>): HTMLElement {
  if (res.kind === 'missing') return notice('missing', `${what}: not available yet.`, 'This server does not offer this part of the API yet.');
  if (res.kind === 'not-found') return notice('info', `${what}: this domain is not watched.`, 'Watch it on the Domains page to get live checks and advice.');
  return notice('error', `${what} could not be loaded.`, res.message);
}

async function loadAdvice(domain: string, enc: string, box: HTMLElement, badgeSlot: HTMLElement, ctx: PageContext, refresh: () => void) {
  const res = await api<AdviceResponse>(`/api/domains/${enc}/advice`);
  if (!ctx.isCurrent()) return;
  const title = h('h2', { id: 'advice-h' }, 'Rollout advice');
  if (!res.ok) {
    replace(badgeSlot, badge(res.status === 409 ? 'not checked yet' : 'no advice yet', 'unknown'));
    if (res.status === 409) {
      replace(box, title, notice('info', 'No live check yet, so no advice.', res.message.replace(/run POST .*$/, 'run a live check first.')), runCheckButton(enc, refresh));
    } else replace(box, title, unavailable('Advice', res), res.kind === 'not-found' ? watchButton(domain, refresh) : null);
    return;
  }
  const { advice } = res.data;
  const b = verdictBadge(advice);
  replace(badgeSlot, badge(b.label, b.tone));
  const parts: Child[] = [
    title,
    h('p', {}, 'State: ', h('strong', {}, advice.state), ' · verdict: ', badge(b.label, b.tone), res.data.computedAt ? ` · as of ${formatTime(res.data.computedAt)}` : ''),
  ];
  for (const a of res.data.alerts ?? []) parts.push(notice('error', 'Overdue', a.message));
  if (advice.blockers.length > 0) {
    parts.push(h('h3', {}, 'What stands in the way'), h('ul', { class: 'blockers' }, advice.blockers.map((x) => h('li', {}, x.message, ' ', h('code', { class: 'code' }, x.code)))));
  } else parts.push(h('p', {}, 'No blockers.'));
  if (res.data.evidence?.note) parts.push(h('p', { class: 'help' }, res.data.evidence.note));
  if (res.data.nextSteps?.length) parts.push(h('h3', {}, 'Next steps'), h('ol', {}, res.data.nextSteps.map((s) => h('li', {}, s))));
  const open = res.data.openTransition;
  if (open) {
    parts.push(notice(open.status === 'expired' ? 'warn' : 'info', `Transition to policy id ${open.policyId} is ${open.status}.`,
      `This server already serves the new policy. Publish the TXT record below at _mta-sts.${domain} by ${formatTime(open.deadline)}; it completes when a check sees it live.`,
      copyBlock('_mta-sts TXT value', open.txt)));
  }
  const p = advice.proposed;
  if (p) {
    const proposal = [
      h('h3', {}, `Proposal: mode ${p.mode}, policy id ${p.id}`),
      copyBlock(`policy file (https://mta-sts.${domain}/.well-known/mta-sts.txt)`, p.policy),
      copyBlock(`_mta-sts.${domain} TXT value`, p.txt),
      p.tlsrptTxt ? copyBlock(`_smtp._tls.${domain} TXT value`, p.tlsrptTxt) : null,
      acceptForm(domain, enc, p.id, refresh),
    ];
    // With a transition still pending, the usual next step is publishing its TXT; a newer proposal only replaces it.
    if (open?.status === 'pending') parts.push(h('details', { class: 'superseded' }, h('summary', {}, `A newer proposal (id ${p.id}) would replace the pending transition`), ...proposal));
    else parts.push(...proposal);
  } else parts.push(h('p', { class: 'muted' }, 'No proposal: there is nothing new to publish right now.'));
  replace(box, ...parts);
}

function acceptForm(domain: string, enc: string, proposalId: string, refresh: () => void): HTMLElement {
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button' }, 'I published this');
  button.addEventListener('click', async () => {
    button.disabled = true;
    const res = await api<{ transition: { policyId: string; status: string; deadline: string }; publish: Array<{ name: string; type: string; value: string }> }>(
      `/api/domains/${enc}/transitions`, { method: 'POST', body: { proposalId } });
    button.disabled = false;
    if (!res.ok) {
      replace(status, notice(res.kind === 'missing' ? 'missing' : 'error',
        res.kind === 'forbidden' ? 'Recording a transition needs a token with the admin scope.' : res.kind === 'missing' ? 'Recording a transition is not available yet on this server.' : res.status === 409 ? 'The advice changed: review it again.' : 'The transition was not recorded.',
        res.message));
      return;
    }
    replace(status, notice('info', `Recorded: policy id ${res.data.transition.policyId} is ${res.data.transition.status}.`,
      `Publish these records by ${formatTime(res.data.transition.deadline)}:`, ...res.data.publish.map((r) => copyBlock(`${r.name} ${r.type}`, r.value)),
      h('button', { type: 'button', class: 'secondary', onclick: refresh }, 'Refresh the advice')));
  });
  return h('div', { class: 'accept' },
    h('p', { class: 'help' }, `Press this once the policy file is served for mta-sts.${domain} and you have published the TXT record(s) above. The transition completes when a live check sees the new id.`),
    button, status);
}

function watchButton(domain: string, refresh: () => void): HTMLElement {
  const status = h('span', { role: 'status', class: 'help' });
  const button = h('button', { type: 'button', class: 'secondary' }, `Watch ${domain}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    const res = await api('/api/domains', { method: 'POST', body: { domain } });
    button.disabled = false;
    if (res.ok) refresh();
    else status.textContent = res.kind === 'forbidden' ? 'Watching a domain needs a token with the admin scope.' : res.message;
  });
  return h('p', {}, button, ' ', status);
}

function runCheckButton(enc: string, refresh: () => void): HTMLElement {
  const status = h('span', { role: 'status', class: 'help' });
  const button = h('button', { type: 'button', class: 'secondary' }, 'Run a live check now');
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Checking DNS, the policy host and every MX…';
    const res = await api(`/api/domains/${enc}/checks`, { method: 'POST' });
    button.disabled = false;
    if (res.ok) refresh();
    else status.textContent = res.kind === 'forbidden' ? 'A live check needs a token with the admin scope.' : res.message;
  });
  return h('p', {}, button, ' ', status);
}

async function loadCheck(enc: string, box: HTMLElement, ctx: PageContext, refresh: () => void) {
  const res = await api<{ items: Array<{ id: number; checkedAt: string; summary: { errors: number; warnings: number; policyId: string | null; mode: string | null }; findings: Array<{ code: string; severity: string; message: string; rule?: string }> }> }>(`/api/domains/${enc}/checks?limit=1`);
  if (!ctx.isCurrent()) return;
  const title = h('h2', { id: 'check-h' }, 'Live check');
  if (!res.ok) return replace(box, title, unavailable('Live check', res));
  const c = res.data.items[0];
  if (!c) return replace(box, title, notice('info', 'Never checked.', 'A live check reads the DNS records, fetches the policy and probes every MX over STARTTLS.'), runCheckButton(enc, refresh));
  const tone = (s: string) => (s === 'error' ? 'bad' : s === 'warn' ? 'warn' : 'info');
  replace(box, title,
    h('p', {}, `Checked ${formatTime(c.checkedAt)}: ${c.summary.errors} error(s), ${c.summary.warnings} warning(s). Live policy id: ${c.summary.policyId ?? 'none'}, mode: ${c.summary.mode ?? 'none'}.`),
    c.findings.length === 0 ? h('p', {}, 'No findings.') : h('ul', { class: 'findings' }, c.findings.map((f) => h('li', {}, badge(f.severity, tone(f.severity)), ' ', f.message, f.rule ? h('span', { class: 'muted' }, ` (${f.rule})`) : null))),
    runCheckButton(enc, refresh));
}

async function loadFetches(enc: string, box: HTMLElement, ctx: PageContext) {
  const res = await api<{ items: Array<{ fetchedAt: string; clientIp: string; userAgent: string | null; policyId: string | null }> }>(`/api/domains/${enc}/policy-fetches?limit=20`);
  if (!ctx.isCurrent()) return;
  const title = h('h2', { id: 'fetch-h' }, 'Policy fetch log');
  if (!res.ok) return replace(box, title, unavailable('Policy fetch log', res));
  if (res.data.items.length === 0) return replace(box, title, h('p', {}, 'No sender has fetched a policy hosted by this server yet. Fetches appear here once mta-sts.', decodeURIComponent(enc), ' points at this server.'));
  replace(box, title, table('Latest policy fetches', ['Time', 'Client IP', 'User agent', 'Policy id'], res.data.items.map((f) => [formatTime(f.fetchedAt), f.clientIp, f.userAgent ?? '—', f.policyId ?? '—'])));
}

/** Days the domain page charts (the dashboard API accepts up to two years). */
const CHART_DAYS = 90;

interface Evidence {
  source: string;
  series: DailySeries;
  breakdowns: Array<{ label: string; rows: BreakdownRow[] }>;
  latest: Array<{ r: ReportDetail; f: ReportDetail['policies'][number]['failures'][number] }>;
  /** The period the server's CSV/JSON exports cover; absent without the dashboard API. */
  exports?: { from: string; to: string };
}

async function loadEvidence(domain: string, box: HTMLElement, ctx: PageContext) {
  const title = h('h2', { id: 'traffic-h' }, 'TLS sessions reported');
  const list = await api<{ items: ReportListItem[]; nextCursor: number | null }>(`/api/reports?domain=${encodeURIComponent(domain)}&limit=${DETAIL_LIMIT}`);
  if (!ctx.isCurrent()) return;
  if (!list.ok) return replace(box, title, notice('error', 'Reports could not be loaded.', list.message));
  if (list.data.items.length === 0) return replace(box, title, gettingStarted(domain));
  const fromApi = await evidenceFromDashboards(domain);
  if (!ctx.isCurrent()) return;
  // With the dashboard API only the newest reports with failures are opened (for "latest failures");
  // without it, every listed report is, to compute the chart in the browser.
  const wanted = fromApi ? list.data.items.filter((r) => r.failedSessions > 0).slice(0, 10) : list.data.items;
  const details: ReportDetail[] = [];
  for (const r of wanted) {
    const d = await api<ReportDetail>(`/api/reports/${r.id}`);
    if (!ctx.isCurrent()) return;
    if (d.ok) details.push(d.data);
  }
  const ev: Evidence = fromApi ?? {
    source: `Computed in the browser from the latest ${details.length} report(s)${list.data.nextCursor !== null ? ' (older reports are not included)' : ''}: the dashboard API is not available on this server yet.`,
    series: dailySeries(details, domain),
    breakdowns: BREAKDOWNS.map(([kind, label]) => ({ label, rows: failureBreakdown(details, domain, kind) })),
    latest: [],
  };
  ev.latest = details.flatMap((r) => r.policies.filter((p) => (p.policyDomain ?? '').toLowerCase() === domain).flatMap((p) => p.failures.map((f) => ({ r, f })))).slice(0, 20);
  const sum = (xs: Array<number | null>) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
  const ok = sum(ev.series.successful);
  const failed = sum(Object.values(ev.series.failedByType).flat());
  const parts: Child[] = [title, h('p', { class: 'help' }, ev.source)];
  if (ev.series.days.length === 0) {
    parts.push(notice('info', `No sessions reported for ${domain} in the last ${CHART_DAYS} days.`, 'Older reports exist; no data in this period is not a sign of health.'));
  } else {
    const chart = sessionsChart(ev.series, Math.max(260, (box.clientWidth || pageWidth()) - 34));
    parts.push(
      h('p', {}, h('strong', {}, `${formatCount(ok)} successful, ${formatCount(failed)} failed sessions`), ` from ${ev.series.days[0]} to ${ev.series.days[ev.series.days.length - 1]}. Failed sessions are stacked by result type (left axis); successful sessions are the line (right axis); days without reports are gaps.`),
      h('div', { class: 'card chart-card' }, chart.element),
    );
  }
  const tables = ev.breakdowns.filter((b) => b.rows.length > 0).map((b) => table(`Failed sessions by ${b.label}`, [b.label, 'Failed sessions', 'Share'], b.rows.map((r) => [r.key, formatCount(r.sessions), `${(r.share * 100).toFixed(1)} %`]), { numeric: [1, 2] }));
  if (failed === 0) parts.push(h('p', {}, 'No failed sessions reported in this period.'));
  else parts.push(h('div', { class: 'breakdowns' }, tables));
  if (ev.latest.length > 0) {
    parts.push(table('Latest failures', ['Report period', 'Organization', 'Result type', 'Sessions', 'Receiving MX', 'Sending IP'],
      ev.latest.map(({ r, f }) => [h('a', { href: href.report(r.id), 'data-link': true }, r.dateRange.start.slice(0, 10)), r.organization ?? '—', f.resultType, formatCount(f.failedSessionCount), f.receivingMxHostname ?? '—', f.sendingMtaIp ?? '—']), { numeric: [3] }));
  }
  if (ev.exports && failed > 0) {
    const { from, to } = ev.exports;
    const q = `domain=${encodeURIComponent(domain)}&from=${from}&to=${to}`;
    parts.push(h('div', { class: 'downloads' }, h('h3', {}, 'Exports'),
      downloadButton('Failure details (CSV)', `/api/exports/failures?${q}&format=csv`, `${domain}-failures-${from}-${to}.csv`), ' ',
      downloadButton('Failure details (JSON)', `/api/exports/failures?${q}&format=json`, `${domain}-failures-${from}-${to}.json`), ' ',
      ...BREAKDOWNS.map(([, label, dimension]) =>
        downloadButton(`By ${label} (CSV)`, `/api/dashboards/domains/${encodeURIComponent(domain)}/breakdowns/${dimension}?from=${from}&to=${to}&format=csv`, `${domain}-${dimension}-${from}-${to}.csv`))));
  }
  replace(box, ...parts);
}

const BREAKDOWNS: Array<[BreakdownKind, string, string]> = [
  ['resultType', 'result type', 'result-type'],
  ['organization', 'organization', 'organization'],
  ['receivingMx', 'receiving MX', 'receiving-mx'],
  ['receivingIp', 'receiving IP', 'receiving-ip'],
  ['sendingIp', 'sending IP', 'sending-ip'],
];

/** Series and breakdowns from the server's rollups; null when this server has no dashboard API yet. */
async function evidenceFromDashboards(domain: string): Promise<Evidence | null> {
  const enc = encodeURIComponent(domain);
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - (CHART_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const period = `from=${from}&to=${to}`;
  const series = await api<{ days: ApiSeriesDay[] }>(`/api/dashboards/domains/${enc}/series?${period}`);
  if (!series.ok) return null;
  const breakdowns = await Promise.all(
    BREAKDOWNS.map(async ([, label, dimension]) => {
      const res = await api<{ items: Array<{ value: string | null; failedSessions: number; share: number | null }> }>(`/api/dashboards/domains/${enc}/breakdowns/${dimension}?${period}&format=json&limit=20`);
      return { label, rows: res.ok ? breakdownFromApi(res.data.items) : [] };
    }),
  );
  return { source: `Last ${CHART_DAYS} days, from the server's daily rollups (UTC days).`, series: seriesFromApi(series.data.days), breakdowns, latest: [], exports: { from, to } };
}

function pageWidth(): number {
  return document.documentElement.clientWidth - 48;
}
