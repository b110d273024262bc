import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('daily loop and alert settings', () => {
  it('defaults: checks every 360 minutes, 24 h suppression, 3 silent days, no channels', () => {
    const r = loadConfig({ SMTP_HOSTNAME: 'pilot.example.net', HTTP_PORT: '8080' });
    expect(r.ok && { loop: r.config.dailyLoop, alerts: r.config.alerts }).toEqual({
      loop: { checkIntervalMinutes: 360, adviceDebounceMs: 10_000 },
      alerts: {
        webhooks: [],
        mailTo: [],
        mailFrom: 'sts-pilot@pilot.example.net',
        smtpUrl: null,
        suppressHours: 24,
        noReportDays: 3,
        publicBaseUrl: 'http://pilot.example.net:8080',
      },
    });
  });

  it('ALERT_WEBHOOK_URLS: prefixed and auto-detected targets', () => {
    const r = loadConfig({ ALERT_WEBHOOK_URLS: 'json:https://a.example/x, https://hooks.slack.com/services/1', PUBLIC_BASE_URL: 'https://pilot.example.net' });
    expect(r.ok && r.config.alerts.webhooks).toEqual([
      { format: 'json', url: 'https://a.example/x' },
      { format: 'slack', url: 'https://hooks.slack.com/services/1' },
    ]);
  });

  it('a bad value stops boot naming the variable', () => {
    expect(loadConfig({ ALERT_WEBHOOK_URLS: 'slack:not a url' })).toEqual({ ok: false, error: 'ALERT_WEBHOOK_URLS: "slack:not a url" is not a URL (got "slack:not a url")' });
    const r = loadConfig({ CHECK_INTERVAL_MINUTES: '0' });
    expect(!r.ok && r.error).toMatch(/^CHECK_INTERVAL_MINUTES: /);
    const m = loadConfig({ ALERT_SMTP_URL: 'mail.example.net' });
    expect(!m.ok && m.error).toBe('ALERT_SMTP_URL: must be an smtp:// or smtps:// URL (got "mail.example.net")');
  });
});
