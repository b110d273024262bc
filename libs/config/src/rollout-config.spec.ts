import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('live check, rollout and proxy settings', () => {
  it('defaults: port 25 / 443, system resolvers and CAs, no private addresses, 48 h transitions, no trusted proxy', () => {
    const r = loadConfig({ SMTP_RECIPIENT_DOMAINS: 'reports.example.com' });
    expect(r.ok && r.config.check).toEqual({ dnsServers: [], smtpPort: 25, httpsPort: 443, caFile: null, allowPrivateAddresses: false, timeoutMs: null });
    expect(r.ok && r.config.rollout).toEqual({ transitionDeadlineHours: 48, reportAddress: 'mailto:tlsrpt@reports.example.com' });
    expect(r.ok && r.config.trustedProxies).toEqual([]);
  });

  it('reads every CHECK_* variable, TRANSITION_DEADLINE_HOURS, ROLLOUT_REPORT_ADDRESS and TRUSTED_PROXIES', () => {
    const r = loadConfig({
      CHECK_DNS_SERVERS: '127.0.0.1:5353, 10.0.0.53',
      CHECK_SMTP_PORT: '2525',
      CHECK_HTTPS_PORT: '8443',
      CHECK_CA_FILE: '/etc/ca.pem',
      CHECK_ALLOW_PRIVATE_ADDRESSES: 'true',
      CHECK_TIMEOUT_MS: '3000',
      TRANSITION_DEADLINE_HOURS: '24',
      ROLLOUT_REPORT_ADDRESS: 'https://tlsrpt.example.com/tlsrpt',
      TRUSTED_PROXIES: 'loopback, 10.0.0.0/8',
    });
    expect(r.ok && r.config.check).toEqual({
      dnsServers: ['127.0.0.1:5353', '10.0.0.53'],
      smtpPort: 2525,
      httpsPort: 8443,
      caFile: '/etc/ca.pem',
      allowPrivateAddresses: true,
      timeoutMs: 3000,
    });
    expect(r.ok && r.config.rollout).toEqual({ transitionDeadlineHours: 24, reportAddress: 'https://tlsrpt.example.com/tlsrpt' });
    expect(r.ok && r.config.trustedProxies).toEqual(['loopback', '10.0.0.0/8']);
  });

  it.each([
    ['CHECK_TIMEOUT_MS', '0'],
    ['CHECK_SMTP_PORT', '99999'],
    ['TRANSITION_DEADLINE_HOURS', '0'],
    ['CHECK_ALLOW_PRIVATE_ADDRESSES', 'maybe'],
  ])('%s=%s is refused naming the variable', (name, value) => {
    const r = loadConfig({ [name]: value });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.startsWith(`${name}:`)).toBe(true);
  });
});
