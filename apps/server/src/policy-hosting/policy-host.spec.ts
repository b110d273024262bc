import { describe, expect, it } from 'vitest';
import { policyDomainOfHost } from './policy-host.js';

describe('policyDomainOfHost', () => {
  it.each([
    ['mta-sts.example.com', 'example.com'],
    ['MTA-STS.Example.COM', 'example.com'],
    ['mta-sts.example.com.', 'example.com'],
    ['mta-sts.xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ])('%s → %s', (host, domain) => {
    expect(policyDomainOfHost(host)).toBe(domain);
  });

  it.each([[undefined], [''], ['example.com'], ['www.mta-sts.example.com'], ['mta-sts.'], ['mta-sts.localhost'], ['mta-sts.127.0.0.1']])('%j is no policy host', (host) => {
    expect(policyDomainOfHost(host)).toBeNull();
  });
});
