/// <reference lib="dom" />
import uPlot from 'uplot';
import { h } from '../dom.js';
import { stack } from '../format.js';
import type { DailySeries } from '../evidence.js';

// Colour-blind-safe palette (Okabe–Ito), successful sessions in blue, failure types warm.
const FAILURE_COLORS = ['#D55E00', '#E69F00', '#CC79A7', '#8B0000', '#F0E442', '#555555', '#009E73'];

export interface ChartHandle {
  element: HTMLElement;
  plot: uPlot | null;
}

/**
 * Sessions per day on a canvas (uPlot): failed sessions stacked by result type on the left axis, successful
 * sessions as a line on the right axis, so that a handful of failures is not flattened by millions of successes.
 */
export function sessionsChart(series: DailySeries, width: number): ChartHandle {
  const types = Object.keys(series.failedByType);
  const xs = series.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const raw = types.map((t) => series.failedByType[t]);
  const stacked = stack(raw);
  const element = h('div', { class: 'chart', role: 'img', 'aria-label': chartSummary(series) });
  const count = (values: Array<number | null>) => (_u: uPlot, _v: number | null, _si: number, idx: number | null) => (idx === null || values[idx] === null ? '—' : String(values[idx]));
  const opts: uPlot.Options = {
    width,
    height: 280,
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] }, ok: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [
      // One point per day: label days, never hours.
      { space: 56, incrs: [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 28 * 86_400], values: (_u, splits) => splits.map((s) => new Date(s * 1000).toISOString().slice(5, 10)) },
      { scale: 'y', label: 'failed sessions', size: 60, stroke: '#8B2500' },
      { scale: 'ok', side: 1, label: 'successful sessions', size: 70, stroke: '#004C7A', grid: { show: false } },
    ],
    series: [
      { label: 'day', value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
      ...types.map((t, i) => ({
        label: `failed: ${t}`,
        scale: 'y',
        stroke: FAILURE_COLORS[i % FAILURE_COLORS.length],
        fill: FAILURE_COLORS[i % FAILURE_COLORS.length] + 'AA',
        width: 1.5,
        // The legend shows the band's own count, not the running sum.
        value: count(raw[i]),
      })),
      { label: 'successful', scale: 'ok', stroke: '#0072B2', width: 2, value: count(series.successful) },
    ],
    bands: types.slice(1).map((_, i) => ({ series: [i + 2, i + 1] as [number, number] })),
  };
  const data = [xs, ...stacked, series.successful] as uPlot.AlignedData;
  const plot = new uPlot(opts, data, element);
  // Follow the card's width (phone rotation, window resize); uPlot itself draws at a fixed size.
  new ResizeObserver(() => {
    const w = element.parentElement?.clientWidth;
    if (w && Math.abs(w - 34 - plot.width) > 4) plot.setSize({ width: Math.max(260, w - 34), height: 280 });
  }).observe(element.parentElement ?? element);
  return { element, plot };
}

export function chartSummary(series: DailySeries): string {
  const ok = series.successful.reduce<number>((a, b) => a + (b ?? 0), 0);
  const failed = Object.values(series.failedByType).flat().reduce<number>((a, b) => a + (b ?? 0), 0);
  return `Sessions per day from ${series.days[0]} to ${series.days[series.days.length - 1]}: ${ok} successful, ${failed} failed.`;
}
