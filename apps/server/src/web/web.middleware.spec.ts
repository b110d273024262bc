import { describe, expect, it } from 'vitest';
import { isWebPath, wantsPage, WEB_CSP } from './web.middleware.js';

const req = (method: string, path: string, accept = 'text/html,application/xhtml+xml') => ({ method, path, headers: { accept } }) as never;

describe('web routes', () => {
  it('never answers the API, report submission, metrics or /.well-known', () => {
    for (const p of ['/api', '/api/reports', '/tlsrpt', '/tlsrpt/x', '/metrics', '/.well-known/mta-sts.txt']) expect(isWebPath(p), p).toBe(false);
    for (const p of ['/', '/domains', '/apis', '/metrics-page', '/reports/1']) expect(isWebPath(p), p).toBe(true);
  });
  it('the SPA fallback is only for GET/HEAD requests that accept HTML', () => {
    expect(wantsPage(req('GET', '/domains/example.com'))).toBe(true);
    expect(wantsPage(req('HEAD', '/quarantine'))).toBe(true);
    expect(wantsPage(req('POST', '/domains'))).toBe(false);
    expect(wantsPage(req('GET', '/domains', 'application/json'))).toBe(false);
    expect(wantsPage(req('GET', '/api/domains'))).toBe(false);
    expect(wantsPage(req('GET', '/.well-known/mta-sts.txt'))).toBe(false);
  });
  it('the dashboard CSP allows no inline script and nothing from other origins', () => {
    expect(WEB_CSP).toContain("script-src 'self'");
    expect(WEB_CSP).toContain("connect-src 'self'");
    expect(WEB_CSP).not.toContain('unsafe-eval');
    expect(WEB_CSP).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
