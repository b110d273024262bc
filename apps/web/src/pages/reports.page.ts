/// <reference lib="dom" />
import { api, query } from '../api-client.js';
import { badge } from '../components/badge.js';
import { downloadButton } from '../components/download.js';
import { gettingStarted } from '../components/getting-started.js';
import { notice, table } from '../components/table.js';
import { h, replace } from '../dom.js';
import type { ReportListItem } from '../evidence.js';
import { failureRate, formatCount, formatRate, formatTime } from '../format.js';
import { href } from '../router.js';
import type { PageContext } from './page-context.js';

type Filters = { domain: string; organization: string; from: string; to: string };

export async function reportsPage(page: HTMLElement, ctx: PageContext): Promise<void> {
  const params = new URLSearchParams(location.search);
  const filters: Filters = { domain: params.get('domain') ?? '', organization: params.get('organization') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const field = (name: keyof Filters, label: string, type = 'text') =>
    h('div', { class: 'field' }, h('label', { for: `f-${name}` }, label), h('input', { id: `f-${name}`, name, type, value: filters[name], autocomplete: 'off' }));
  const form = h('form', { class: 'card filters', role: 'search', 'aria-label': 'Search reports' },
    field('domain', 'Policy domain'), field('organization', 'Organization'), field('from', 'From (date)', 'date'), field('to', 'To (date)', 'date'),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Search')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    // Filters are not secrets: they may live in the URL (the token never does).
    ctx.navigate(`/reports${query({ domain: String(data.get('domain') ?? '').trim(), organization: String(data.get('organization') ?? '').trim(), from: String(data.get('from') ?? ''), to: String(data.get('to') ?? '') })}`);
  });
  const results = h('div', { 'aria-live': 'polite' });
  replace(page, h('h1', {}, 'Reports'), form, results);
  let cursor: number | null = null;
  const rows: ReportListItem[] = [];
  const load = async () => {
    const res = await api<{ items: ReportListItem[]; nextCursor: number | null }>(`/api/reports${query({ ...filters, limit: 50, cursor })}`);
    if (!ctx.isCurrent()) return;
    if (!res.ok) {
      replace(results, notice('error', 'Reports could not be loaded.', res.message));
      return;
    }
    rows.push(...res.data.items);
    cursor = res.data.nextCursor;
    const filtered = Object.values(filters).some(Boolean);
    if (rows.length === 0) {
      replace(results, filtered ? notice('info', 'No report matches these filters.', 'Clear a filter to widen the search.') : gettingStarted(null));
      return;
    }
    const more = cursor !== null ? h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Load more') : null;
    replace(results,
      table(`${rows.length} report${rows.length === 1 ? '' : 's'}, newest first`, ['Report', 'Organization', 'Domains', 'Period', 'Sessions', 'Failed', 'Received'],
        rows.map((r) => [
          h('a', { href: href.report(r.id), 'data-link': true }, r.reportId),
          r.organization ?? '(none)',
          r.policyDomains.join(', ') || '(none)',
          `${r.dateRange.start.slice(0, 10)} – ${r.dateRange.end.slice(0, 10)}`,
          formatCount(r.successfulSessions + r.failedSessions),
          r.failedSessions > 0 ? badge(`${formatCount(r.failedSessions)} (${formatRate(failureRate(r.successfulSessions, r.failedSessions))})`, 'bad') : '0',
          formatTime(r.receivedAt),
        ]), { numeric: [4, 5] }),
      more);
  };
  await load();
}

export async function reportDetailPage(page: HTMLElement, ctx: PageContext, id: number): Promise<void> {
  const res = await api<any>(`/api/reports/${id}`);
  if (!ctx.isCurrent()) return;
  if (!res.ok) {
    replace(page, h('h1', {}, `Report ${id}`), notice(res.kind === 'not-found' ? 'info' : 'error', res.kind === 'not-found' ? 'No such report.' : 'The report could not be loaded.', res.message), h('a', { href: href.reports(), 'data-link': true }, 'Back to reports'));
    return;
  }
  const r = res.data;
  const dl = (pairs: Array<[string, string | HTMLElement]>) => h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  const policies = (r.policies ?? []) as any[];
  const failures = policies.flatMap((p) => (p.failures ?? []).map((f: any) => ({ ...f, policyDomain: p.policyDomain })));
  replace(page,
    h('p', {}, h('a', { href: href.reports(), 'data-link': true }, '← Reports')),
    h('h1', {}, `Report ${r.reportId}`),
    dl([
      ['Organization', r.organization ?? '(none)'],
      ['Period', `${formatTime(r.dateRange?.start)} – ${formatTime(r.dateRange?.end)}`],
      ['Received', `${formatTime(r.receivedAt)} via ${r.source}`],
      ['Contact', r.contactInfo ?? '(none)'],
      ['DKIM', r.dkim ? `${r.dkim.result ?? 'not checked'}${r.dkim.domain ? ` (${r.dkim.domain})` : ''}${r.dkim.authenticated ? ', authenticated' : ', not authenticated'}` : '—'],
      ['Duplicate deliveries', String(r.duplicateDeliveries ?? 0)],
    ]),
    (r.warnings ?? []).length > 0 && notice('warn', 'Parser warnings', h('ul', {}, (r.warnings as any[]).map((w) => h('li', {}, typeof w === 'string' ? w : `${w.code ?? ''} ${w.message ?? JSON.stringify(w)}`)))),
    table('Policies in this report', ['Type', 'Domain', 'MX', 'Successful', 'Failed', 'Counts toward rates'],
      policies.map((p) => [p.policyType, p.policyDomain ?? '(none)', (p.mxHost ?? []).join(', ') || '—', formatCount(p.successfulSessions), formatCount(p.failedSessions), p.countsTowardRates ? 'yes' : 'no']), { numeric: [3, 4] }),
    failures.length > 0
      ? table('Failure details', ['Result type', 'Sessions', 'Sending IP', 'Receiving MX', 'Receiving IP', 'Additional information'],
          failures.map((f) => [f.resultType, formatCount(f.failedSessionCount), f.sendingMtaIp ?? '—', f.receivingMxHostname ?? '—', f.receivingIp ?? '—', f.additionalInformation ?? '—']), { numeric: [1] })
      : h('p', {}, 'This report lists no failure details.'),
    h('section', { 'aria-labelledby': 'raw-json' },
      h('h2', { id: 'raw-json' }, 'Report JSON as received'),
      // RPT-JSON-7: shown as text, exactly as received; never parsed into markup.
      h('pre', { class: 'json', tabindex: 0, 'data-testid': 'report-json' }, r.reportJson ?? ''),
      h('p', {}, downloadButton('Download the raw message (.eml)', `/api/reports/${id}/raw`, `report-${id}.eml`))),
  );
}
