/// <reference lib="dom" />
import { h, svg } from '../dom.js';
import { formatRate, sparklinePath } from '../format.js';

/** Failure share per day; days without sessions are gaps, and a domain without any reads "no data". */
export function sparkline(values: Array<number | null>): HTMLElement {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return h('span', { class: 'muted' }, 'no data yet');
  const latest = known[known.length - 1];
  const label = `Failure rate over the last ${values.length} days; latest ${formatRate(latest)}, highest ${formatRate(Math.max(...known))}.`;
  const graphic = svg('svg', { width: 112, height: 28, viewBox: '0 0 112 28', role: 'img', 'aria-label': label, class: 'spark' },
    svg('path', { d: sparklinePath(values, 110, 28), fill: 'none', stroke: Math.max(...known) > 0 ? '#B34700' : '#1F6F43', 'stroke-width': 2 }));
  return h('span', { class: 'spark-wrap' }, graphic, h('span', { class: 'spark-text' }, `last ${formatRate(latest)}`));
}
