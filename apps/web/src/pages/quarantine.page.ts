/// <reference lib="dom" />
import { api, query } from '../api-client.js';
import { notice, table } from '../components/table.js';
import { h, replace } from '../dom.js';
import { formatTime } from '../format.js';
import { href } from '../router.js';
import type { PageContext } from './page-context.js';

interface QuarantineItem {
  id: number;
  reasonCode: string;
  reason: string;
  source: string;
  sizeBytes: number;
  headers: Record<string, unknown> | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedReportId: number | null;
}

export async function quarantinePage(page: HTMLElement, ctx: PageContext): Promise<void> {
  const params = new URLSearchParams(location.search);
  const resolved = params.get('resolved') ?? 'false';
  const search = h('input', { id: 'q-search', type: 'search', autocomplete: 'off', 'aria-describedby': 'q-search-help' });
  const select = h('select', { id: 'q-resolved' },
    h('option', { value: 'false', selected: resolved === 'false' }, 'Still quarantined'),
    h('option', { value: 'true', selected: resolved === 'true' }, 'Resolved'),
    h('option', { value: 'all', selected: resolved === 'all' }, 'All'));
  select.addEventListener('change', () => ctx.navigate(`/quarantine${query({ resolved: select.value })}`));
  const results = h('div', { 'aria-live': 'polite' });
  const reparseStatus = h('div', { role: 'status', 'aria-live': 'polite' });
  const reparseAll = h('button', { type: 'button', class: 'secondary' }, 'Re-parse all open entries');
  reparseAll.addEventListener('click', async () => {
    reparseAll.disabled = true;
    const res = await api<{ attempted: number; resolved: number; stillQuarantined: number }>('/api/quarantine/reparse', { method: 'POST' });
    reparseAll.disabled = false;
    if (!res.ok) return replace(reparseStatus, reparseError(res.kind, res.message));
    replace(reparseStatus, notice('info', `Re-parsed ${res.data.attempted} entr${res.data.attempted === 1 ? 'y' : 'ies'}: ${res.data.resolved} now stored as reports, ${res.data.stillQuarantined} still quarantined.`,
      h('button', { type: 'button', class: 'secondary', onclick: () => ctx.navigate(location.pathname + location.search, { replace: true }) }, 'Reload the list')));
  });
  replace(page,
    h('h1', {}, 'Quarantine'),
    h('p', {}, 'Messages that reached the report address but could not be stored as reports, with the reason. Nothing here counts toward failure rates or advice.'),
    h('div', { class: 'card filters', role: 'search' },
      h('div', { class: 'field' }, h('label', { for: 'q-search' }, 'Search reason, code or sender'), search, h('span', { id: 'q-search-help', class: 'help' }, 'Filters the loaded entries as you type.')),
      h('div', { class: 'field' }, h('label', { for: 'q-resolved' }, 'Show'), select)),
    h('p', {}, reparseAll, ' ', h('span', { class: 'help' }, 'Runs the current parser again over what is quarantined (admin token).')),
    reparseStatus,
    results);
  const res = await api<{ items: QuarantineItem[]; nextCursor: number | null }>(`/api/quarantine${query({ limit: 200, resolved: resolved === 'all' ? null : resolved })}`);
  if (!ctx.isCurrent()) return;
  if (!res.ok) {
    replace(results, notice('error', 'The quarantine could not be loaded.', res.message));
    return;
  }
  const draw = () => {
    const needle = search.value.trim().toLowerCase();
    const items = res.data.items.filter((q) => !needle || [q.reasonCode, q.reason, q.source, senderOf(q)].join(' ').toLowerCase().includes(needle));
    if (res.data.items.length === 0) {
      replace(results, notice('info', resolved === 'true' ? 'Nothing has been resolved from quarantine.' : 'The quarantine is empty.', 'Every message that reached the report address was stored as a report.'));
      return;
    }
    replace(results, table(`${items.length} of ${res.data.items.length} entries`, ['#', 'Received', 'Code', 'Reason', 'From', 'Source', 'Size', 'Resolved'],
      items.map((q) => [String(q.id), formatTime(q.createdAt), h('code', {}, q.reasonCode), q.reason, senderOf(q), q.source, `${q.sizeBytes} B`,
        q.resolvedReportId !== null ? h('a', { href: href.report(q.resolvedReportId), 'data-link': true }, `report ${q.resolvedReportId}`) : q.resolvedAt ? formatTime(q.resolvedAt) : reparseOne(q.id)]), { numeric: [6] }));
  };
  search.addEventListener('input', draw);
  draw();
}

/** The From address the ingest recorded, else the TLS-Report-Submitter header. */
function senderOf(q: QuarantineItem): string {
  const from = q.headers?.fromAddress ?? q.headers?.tlsReportSubmitter;
  return typeof from === 'string' && from ? from : '—';
}

function reparseError(kind: string, message: string): HTMLElement {
  if (kind === 'forbidden') return notice('warn', 'Re-parsing needs a token with the admin scope.');
  if (kind === 'missing') return notice('missing', 'Re-parsing is not available yet on this server.');
  return notice('error', 'Re-parse failed.', message);
}

function reparseOne(id: number): HTMLElement {
  const out = h('span', { class: 'reparse' });
  const button = h('button', { type: 'button', class: 'secondary', 'aria-label': `Re-parse entry ${id}` }, 'Re-parse');
  button.addEventListener('click', async () => {
    button.disabled = true;
    const res = await api<{ status: string; code?: string; reports?: Array<{ reportPk: number }> }>(`/api/quarantine/${id}/reparse`, { method: 'POST' });
    button.disabled = false;
    if (!res.ok) return replace(out, reparseError(res.kind, res.message));
    const pk = res.data.reports?.[0]?.reportPk;
    replace(out, res.data.status === 'resolved' && pk !== undefined
      ? h('a', { href: href.report(pk), 'data-link': true }, `stored: report ${pk}`)
      : h('span', {}, `still quarantined${res.data.code ? ` (${res.data.code})` : ''}`));
  });
  out.append('no ', button);
  return out;
}
