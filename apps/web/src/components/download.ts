/// <reference lib="dom" />
import { h } from '../dom.js';
import { session } from '../session.js';

/** A button that downloads an API resource: a plain link cannot carry the bearer token, so fetch it into a blob. */
export function downloadButton(label: string, path: string, filename: string): HTMLElement {
  const status = h('span', { role: 'status', class: 'help' });
  const button = h('button', { type: 'button', class: 'secondary' }, label);
  button.addEventListener('click', async () => {
    status.textContent = '';
    const res = await fetch(path, { headers: { authorization: `Bearer ${session.token() ?? ''}` } });
    if (!res.ok) {
      status.textContent = res.status === 404 ? 'Not available on this server yet.' : `Download failed (${res.status}).`;
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: filename });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  return h('span', { class: 'download' }, button, ' ', status);
}
