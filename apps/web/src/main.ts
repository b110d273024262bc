/// <reference lib="dom" />
import './style.css';
import { setUnauthorizedHandler } from './api-client.js';
import { h, replace } from './dom.js';
import { domainPage } from './pages/domain.page.js';
import { domainsPage } from './pages/domains.page.js';
import { quarantinePage } from './pages/quarantine.page.js';
import { reportDetailPage, reportsPage } from './pages/reports.page.js';
import { signInPage } from './pages/sign-in.page.js';
import { href, parseRoute, type Route } from './router.js';
import { session } from './session.js';

const main = document.getElementById('main') as HTMLElement;
const top = document.getElementById('top') as HTMLElement;
let renderSeq = 0;
let firstRender = true;

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

function header(route: Route): void {
  const link = (label: string, to: string, active: boolean) => h('a', { href: to, 'data-link': true, 'aria-current': active ? 'page' : null }, label);
  const signedIn = session.token() !== null;
  replace(
    top,
    h('a', { class: 'brand', href: '/domains', 'data-link': true }, 'STS Pilot'),
    signedIn &&
      h('nav', { 'aria-label': 'Main' },
        link('Domains', href.domains(), route.page === 'domains' || route.page === 'domain'),
        link('Reports', href.reports(), route.page === 'reports'),
        link('Quarantine', href.quarantine(), route.page === 'quarantine'),
        h('button', { type: 'button', class: 'link-button', onclick: () => { session.signOut(); navigate('/sign-in'); } }, 'Sign out')),
  );
}

async function render(): Promise<void> {
  const seq = ++renderSeq;
  let route = parseRoute(location.pathname);
  if (route.page !== 'sign-in' && session.token() === null) {
    history.replaceState({ next: location.pathname }, '', '/sign-in');
    route = { page: 'sign-in' };
  }
  header(route);
  const page = h('div', { class: 'page' }, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  replace(main, page);
  const ctx = { navigate, isCurrent: () => seq === renderSeq };
  switch (route.page) {
    case 'sign-in':
      await signInPage(page, ctx);
      break;
    case 'domains':
      await domainsPage(page, ctx);
      break;
    case 'domain':
      await domainPage(page, ctx, route.domain);
      break;
    case 'reports':
      await (route.id === null ? reportsPage(page, ctx) : reportDetailPage(page, ctx, route.id));
      break;
    case 'quarantine':
      await quarantinePage(page, ctx);
      break;
    default:
      replace(page, h('h1', {}, 'Page not found'), h('p', {}, 'There is no page at this address. '), h('a', { href: '/domains', 'data-link': true }, 'Go to the domains'));
  }
  if (seq !== renderSeq) return;
  const heading = page.querySelector('h1');
  document.title = heading?.textContent ? `${heading.textContent} · STS Pilot` : 'STS Pilot';
  // Move focus to the new page for keyboard and screen-reader users, unless the page focused a field itself.
  // Not on the first load: there the skip link stays the first Tab stop.
  if (!firstRender && !page.contains(document.activeElement)) main.focus({ preventScroll: true });
  firstRender = false;
}

document.addEventListener('click', (e) => {
  const a = (e.target as Element | null)?.closest?.('a[data-link]') as HTMLAnchorElement | null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href') ?? '/');
});
window.addEventListener('popstate', () => void render());
setUnauthorizedHandler(() => {
  session.signOut();
  navigate('/sign-in', { replace: true });
});
void render();
