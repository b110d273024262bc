/// <reference lib="dom" />
import { h } from '../dom.js';
import type { Tone } from '../format.js';

/** A status pill; `unknown` (no data, no advice) is grey and dashed so it never reads as healthy. */
export function badge(label: string, tone: Tone): HTMLElement {
  return h('span', { class: `badge badge-${tone}` }, label);
}
