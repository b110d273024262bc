/// <reference lib="dom" />
import { api, type ApiResult } from '../api-client.js';
import { badge } from '../components/badge.js';
import { gettingStarted } from '../components/getting-started.js';
import { sparkline } from '../components/sparkline.js';
import { notice, table } from '../components/table.js';
import { h, replace } from '../dom.js';
import { dayAxis, summarizeDomains, type ApiSeriesDay, type DomainSummary, type ReportListItem } from '../evidence.js';
import { failureRate, formatCount, formatRate, formatTime, isDomainName, verdictBadge } from '../format.js';
import { href } from '../router.js';
import type { AdviceResponse } from '../api-types.js';
import type { PageContext } from './page-context.js';


const REPORT_SAMPLE = 500;

export async function domainsPage(page: HTMLElement, ctx: PageContext): Promise<void> {
  const [watched, reports] = await Promise.all([
    api<{ items: Array<{ domain: string; createdAt: string }> }>('/api/domains'),
    api<{ items: ReportListItem[]; nextCursor: number | null }>(`/api/reports?limit=${REPORT_SAMPLE}`),
  ]);
  if (!ctx.isCurrent()) return;
  const notes: HTMLElement[] = [];
  if (!reports.ok) notes.push(notice('error', 'Reports could not be loaded.', reports.message));
  if (!watched.ok && watched.kind === 'missing') notes.push(notice('missing', 'Watched domains are not available yet.', 'This server has no domains API yet: rollout state and advice cannot be shown.'));
  else if (!watched.ok) notes.push(notice('error', 'Watched domains could not be loaded.', watched.message));

  const today = new Date().toISOString().slice(0, 10);
  const summaries = new Map<string, DomainSummary>();
  const fromApi = await summariesFromDashboards(today);
  if (!ctx.isCurrent()) return;
  const fromReports = new Map((reports.ok ? summarizeDomains(reports.data.items, today) : []).map((s) => [s.domain, s]));
  for (const s of fromApi ?? fromReports.values()) summaries.set(s.domain, s);
  const totalsLabel = fromApi ? 'Failed share, 30 days' : `Failed share, latest ${REPORT_SAMPLE} reports`;
  const watchedNames = watched.ok ? watched.data.items.map((d) => d.domain.toLowerCase()) : [];
  const names = [...new Set([...watchedNames, ...summaries.keys(), ...fromReports.keys()])].sort();
  // "never" only when the whole report list was read; otherwise say how far we looked.
  const neverLabel = reports.ok && reports.data.nextCursor === null ? 'never' : `not in the latest ${REPORT_SAMPLE} reports`;
  const advice = new Map<string, ApiResult<AdviceResponse>>();
  await Promise.all(watchedNames.map(async (d) => advice.set(d, await api<AdviceResponse>(`/api/domains/${encodeURIComponent(d)}/advice`))));
  if (!ctx.isCurrent()) return;

  const rows = names.map((d) => {
    const s = summaries.get(d);
    const a = advice.get(d);
    const isWatched = watchedNames.includes(d);
    let state: string;
    let verdict: HTMLElement;
    if (!isWatched) {
      state = '—';
      verdict = badge('not watched: no advice', 'unknown');
    } else if (a?.ok) {
      state = a.data.advice.state;
      const b = verdictBadge(a.data.advice);
      verdict = badge(b.label, b.tone);
    } else {
      state = '—';
      verdict = badge(a && a.status === 409 ? 'not checked yet' : 'advice unavailable', 'unknown');
    }
    const rate = s ? failureRate(s.successful, s.failed) : null;
    return [
      h('a', { href: href.domain(d), 'data-link': true }, d),
      state,
      verdict,
      s ? sparkline(s.daily) : h('span', { class: 'muted' }, 'no data yet'),
      s ? `${formatRate(rate)} of ${formatCount(s.successful + s.failed)}` : h('span', { class: 'muted' }, fromApi ? 'no sessions in 30 days' : 'no reports'),
      s ? formatTime(s.lastReportAt) : fromReports.has(d) ? formatTime(fromReports.get(d)!.lastReportAt) : h('span', { class: 'muted' }, neverLabel),
    ];
  });

  const content: Array<HTMLElement | string> = [h('h1', {}, 'Domains'), ...notes];
  if (names.length === 0) content.push(gettingStarted(null));
  else {
    content.push(table('Domains: rollout state, verdict and TLS failures', ['Domain', 'State', 'Verdict', 'Failure rate per day, 14 days', totalsLabel, 'Last report'], rows));
    if (!fromApi) content.push(notice('missing', 'The dashboard API is not available yet on this server.', `Session figures are computed in the browser from the latest ${REPORT_SAMPLE} reports.`));
  }
  content.push(addDomainForm(ctx));
  replace(page, ...content);
}

function addDomainForm(ctx: PageContext): HTMLElement {
  const input = h('input', { id: 'add-domain', name: 'domain', type: 'text', placeholder: 'example.com', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'add-domain-msg' });
  const msg = h('p', { id: 'add-domain-msg', class: 'help', role: 'status' }, 'Watching a domain runs live MTA-STS checks and gives rollout advice. Needs an admin token.');
  const form = h('form', { class: 'card inline-form' },
    h('h2', {}, 'Watch a domain'),
    h('label', { for: 'add-domain' }, 'Domain name'),
    h('div', { class: 'row' }, input, h('button', { type: 'submit' }, 'Watch')),
    msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const domain = input.value.trim().toLowerCase().replace(/\.$/, '');
    if (!isDomainName(domain)) {
      msg.textContent = 'Enter a domain name such as example.com.';
      return;
    }
    const res = await api('/api/domains', { method: 'POST', body: { domain } });
    if (res.ok) ctx.navigate(href.domain(domain));
    else msg.textContent = res.kind === 'forbidden' ? 'Watching a domain needs a token with the admin scope.' : res.kind === 'missing' ? 'This server cannot watch domains yet.' : res.message;
  });
  return form;
}

/** Totals for 30 days and a 14-day daily failure share per domain from the server's rollups; null without that API. */
async function summariesFromDashboards(today: string): Promise<DomainSummary[] | null> {
  const overview = await api<{ domains: Array<{ domain: string; successfulSessions: number; failedSessions: number; reports: number; lastReportAt: string | null }> }>('/api/dashboards/domains');
  if (!overview.ok) return null;
  const axis = dayAxis(today, 14);
  return Promise.all(
    overview.data.domains.map(async (d) => {
      const series = await api<{ days: ApiSeriesDay[] }>(`/api/dashboards/domains/${encodeURIComponent(d.domain)}/series?from=${axis[0]}&to=${today}`);
      const byDay = new Map(series.ok ? series.data.days.map((x) => [x.day, x.failureRate] as const) : []);
      return {
        domain: d.domain.toLowerCase(),
        reports: d.reports,
        successful: d.successfulSessions,
        failed: d.failedSessions,
        lastReportAt: d.lastReportAt,
        daily: axis.map((day) => byDay.get(day) ?? null),
      };
    }),
  );
}
