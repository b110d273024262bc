/// <reference lib="dom" />
import { api } from '../api-client.js';
import { h, replace } from '../dom.js';
import { session } from '../session.js';
import type { PageContext } from './page-context.js';

export async function signInPage(page: HTMLElement, ctx: PageContext): Promise<void> {
  const error = h('p', { id: 'sign-in-error', class: 'field-error', role: 'alert' });
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'token-help sign-in-error' });
  const form = h('form', { class: 'card narrow', novalidate: true },
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'help' },
      'The server prints an admin token once, on its first start. Create more with ', h('code', {}, 'sts-pilot token create'),
      '. The token stays in this browser tab only and is forgotten when the tab closes.'),
    error,
    h('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = 'Enter an API token.';
      input.focus();
      return;
    }
    const res = await api('/api/reports?limit=1', { token });
    if (!res.ok && (res.kind === 'unauthorized' || res.kind === 'forbidden')) {
      error.textContent = 'This token was not accepted: it is unknown or revoked.';
      input.focus();
      return;
    }
    if (!res.ok && res.kind === 'error') {
      error.textContent = res.message;
      return;
    }
    session.signIn(token);
    const next = (history.state as { next?: string } | null)?.next;
    ctx.navigate(next && next !== '/sign-in' ? next : '/domains', { replace: true });
  });
  replace(page, h('h1', {}, 'Sign in'), form);
  input.focus();
}
