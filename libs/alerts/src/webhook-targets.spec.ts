import { describe, expect, it } from 'vitest';
import { alertText } from './alert-bodies.js';
import { suppressionKey, isSuppressed } from './suppression.js';
import { parseWebhookTargets } from './webhook-targets.js';

describe('parseWebhookTargets', () => {
  it('explicit prefixes and auto detection (Slack host, Mattermost /hooks/ path)', () => {
    expect(
      parseWebhookTargets(['json:https://ops.example.net/hooks/x', 'slack:http://127.0.0.1:9/a', 'https://hooks.slack.com/services/T/B/C', 'https://chat.example.net/hooks/abc', 'https://ops.example.net/alert']),
    ).toEqual({
      ok: true,
      targets: [
        { format: 'json', url: 'https://ops.example.net/hooks/x' },
        { format: 'slack', url: 'http://127.0.0.1:9/a' },
        { format: 'slack', url: 'https://hooks.slack.com/services/T/B/C' },
        { format: 'slack', url: 'https://chat.example.net/hooks/abc' },
        { format: 'json', url: 'https://ops.example.net/alert' },
      ],
    });
  });

  it('rejects what is not an http(s) URL', () => {
    expect(parseWebhookTargets(['json:nope'])).toEqual({ ok: false, error: '"json:nope" is not a URL' });
    expect(parseWebhookTargets(['ftp://x.example/'])).toEqual({ ok: false, error: '"ftp://x.example/" must be an http(s) URL' });
  });
});

describe('suppression and text', () => {
  it('same domain + kind + subject within the period is suppressed, after it is not', () => {
    expect(suppressionKey({ domain: 'a.example', kind: 'cert-expiring', subject: 'mx@2026-01-01' })).toBe('a.example|cert-expiring|mx@2026-01-01');
    const sent = new Date('2026-01-01T00:00:00Z');
    expect(isSuppressed(sent, new Date('2026-01-01T23:59:59Z'), 24)).toBe(true);
    expect(isSuppressed(sent, new Date('2026-01-02T00:00:00Z'), 24)).toBe(false);
    expect(isSuppressed(null, sent, 24)).toBe(false);
  });

  it('text form carries what happened, the evidence and the link', () => {
    expect(
      alertText({ domain: 'a.example', kind: 'verdict-change', subject: 'x', message: 'Changed.', evidence: { from: 'keep-testing', to: 'rollback' }, link: 'https://p/domains/a.example' }),
    ).toBe('[STS Pilot] a.example: verdict-change\nChanged.\n• from: keep-testing\n• to: rollback\nDashboard: https://p/domains/a.example');
  });
});
