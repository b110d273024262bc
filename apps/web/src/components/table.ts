/// <reference lib="dom" />
import { h, type Child } from '../dom.js';

export function table(caption: string, headers: string[], rows: Child[][], opts: { numeric?: number[] } = {}): HTMLElement {
  const numeric = new Set(opts.numeric ?? []);
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((t, i) => h('th', { scope: 'col', class: numeric.has(i) ? 'num' : null }, t)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { class: numeric.has(i) ? 'num' : null }, c)))))));
}

export function notice(kind: 'info' | 'warn' | 'error' | 'missing', title: string, ...body: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : null }, h('strong', {}, title), ...body.map((b) => (typeof b === 'string' ? h('p', {}, b) : b)));
}
