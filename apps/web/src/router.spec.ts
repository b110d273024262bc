import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './router.js';

describe('parseRoute', () => {
  it('maps page paths', () => {
    expect(parseRoute('/')).toEqual({ page: 'domains' });
    expect(parseRoute('/domains/')).toEqual({ page: 'domains' });
    expect(parseRoute('/domains/Example.COM')).toEqual({ page: 'domain', domain: 'example.com' });
    expect(parseRoute('/reports')).toEqual({ page: 'reports', id: null });
    expect(parseRoute('/reports/42')).toEqual({ page: 'reports', id: 42 });
    expect(parseRoute('/quarantine')).toEqual({ page: 'quarantine' });
    expect(parseRoute('/sign-in')).toEqual({ page: 'sign-in' });
  });
  it('anything else is not found', () => {
    expect(parseRoute('/reports/0')).toEqual({ page: 'not-found', path: '/reports/0' });
    expect(parseRoute('/reports/abc')).toEqual({ page: 'not-found', path: '/reports/abc' });
    expect(parseRoute('/domains/a/b')).toEqual({ page: 'not-found', path: '/domains/a/b' });
  });
  it('links round-trip', () => {
    expect(parseRoute(href.domain('mail.example.com'))).toEqual({ page: 'domain', domain: 'mail.example.com' });
    expect(parseRoute(href.report(7))).toEqual({ page: 'reports', id: 7 });
  });
});
