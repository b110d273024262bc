import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.smtp.port).toBe(2525);
    expect(r.config.http.port).toBe(3000);
    expect(r.config.smtp.recipientDomains).toEqual(['localhost']);
    expect(r.config.database.url).toBeNull();
    expect(r.config.limits.maxMessageBytes).toBe(15 * 1024 * 1024);
    expect(r.config.limits.maxDecompressedBytes).toBe(20 * 1024 * 1024);
    expect(r.config.limits.maxJsonDepth).toBe(64);
    expect(r.config.evidence.requireDkim).toBe(true);
  });

  it('splits and lower-cases SMTP_RECIPIENT_DOMAINS', () => {
    const r = loadConfig({ SMTP_RECIPIENT_DOMAINS: 'Reports.Example.com, tlsrpt.example.net' });
    expect(r.ok && r.config.smtp.recipientDomains).toEqual(['reports.example.com', 'tlsrpt.example.net']);
  });

  it.each([
    ['SMTP_PORT', 'abc'],
    ['SMTP_PORT', '70000'],
    ['MAX_MESSAGE_BYTES', '0'],
    ['MAX_DECOMPRESSED_BYTES', '-5'],
    ['MAX_JSON_DEPTH', 'NaN'],
    ['DATABASE_URL', 'mysql://x'],
    ['REQUIRE_DKIM_FOR_EVIDENCE', 'maybe'],
  ])('rejects %s=%s with one line naming the variable', (name, value) => {
    const r = loadConfig({ [name]: value });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.startsWith(`${name}: `)).toBe(true);
    expect(r.error).toContain(`"${value}"`);
    expect(r.error.includes('\n')).toBe(false);
  });
});
