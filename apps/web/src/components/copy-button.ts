/// <reference lib="dom" />
import { h } from '../dom.js';

/** A labelled, read-only block of exact text with a button that copies it verbatim. */
export function copyBlock(label: string, text: string): HTMLElement {
  const id = `copy-${Math.random().toString(36).slice(2)}`;
  const status = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const pre = h('pre', { id, class: 'copy-text', tabindex: 0, 'aria-label': label }, text);
  const button = h('button', { type: 'button', class: 'secondary', 'aria-describedby': id }, `Copy ${label}`);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = 'Copied.';
    } catch {
      // No clipboard permission (plain http on a LAN address): select the text for a manual copy.
      const range = document.createRange();
      range.selectNodeContents(pre);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      status.textContent = 'Selected: press Ctrl+C to copy.';
    }
  });
  return h('div', { class: 'copy-block' }, h('div', { class: 'copy-head' }, h('strong', {}, label), button, status), pre);
}
