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

describe('IMAP sources (IMAP_SOURCES, IMAP_SOURCES_FILE)', () => {
  const dovecot = { name: 'dovecot', host: 'imap.example.com', user: 'tls-reports', password: 'app-password' };

  it('fills the documented defaults for a password source', () => {
    const r = loadConfig({ IMAP_SOURCES: JSON.stringify([dovecot]) });
    expect(r.ok && r.config.imapSources).toEqual([
      {
        ...dovecot,
        port: 993,
        tls: 'implicit',
        rejectUnauthorized: true,
        folder: 'INBOX',
        processedFolder: 'TLSRPT-Processed',
        nonReportFolder: 'TLSRPT-Not-a-report',
        move: true,
        pollSeconds: 300,
      },
    ]);
  });

  it('STARTTLS defaults to port 143 and no sources is an empty list', () => {
    const r = loadConfig({ IMAP_SOURCES: JSON.stringify([{ ...dovecot, tls: 'starttls' }]) });
    expect(r.ok && r.config.imapSources[0].port).toBe(143);
    const none = loadConfig({});
    expect(none.ok && none.config.imapSources).toEqual([]);
  });

  it('accepts Microsoft 365 client credentials and Google refresh tokens', () => {
    const m365 = { name: 'm365', host: 'outlook.office365.com', user: 'tlsrpt@contoso.com', oauth2: { provider: 'microsoft', tenant: 'contoso.onmicrosoft.com', clientId: 'id', clientSecret: 's' } };
    const google = { name: 'gmail', host: 'imap.gmail.com', user: 'tlsrpt@example.com', oauth2: { provider: 'google', clientId: 'id', clientSecret: 's', refreshToken: 'r' } };
    const r = loadConfig({ IMAP_SOURCES: JSON.stringify([m365, google]) });
    expect(r.ok && r.config.imapSources.map((s) => s.oauth2?.provider)).toEqual(['microsoft', 'google']);
  });

  it.each([
    ['[{"name":"a","host":"h","user":"u"}]', 'IMAP_SOURCES: [0].password: give exactly one of password or oauth2'],
    ['[{"name":"a","host":"h","user":"u","password":"p","port":99999}]', 'IMAP_SOURCES: [0].port: Too big: expected number to be <=65535'],
    ['[{"name":"a","host":"h","user":"u","password":"p","tls":"none"}]', 'IMAP_SOURCES: [0].tls: Invalid option: expected one of "implicit"|"starttls"'],
    ['[{"name":"a","host":"h","user":"u","password":"p","pollSeconds":0}]', 'IMAP_SOURCES: [0].pollSeconds: Too small: expected number to be >=5'],
    ['[{"name":"a","host":"h","user":"u","password":"p"},{"name":"a","host":"h","user":"u","password":"p"}]', 'IMAP_SOURCES: [1].name: duplicate source name "a"'],
    ['[{"name":"a","host":"h","user":"u","oauth2":{"provider":"google","clientId":"i","clientSecret":"s"}}]', 'IMAP_SOURCES: [0].oauth2.refreshToken: Invalid input: expected string, received undefined'],
    ['{"name":', 'IMAP_SOURCES: not valid JSON'],
    ['[{"name":"a","host":"h","user":"u","password":"p","folder":"TLS","processedFolder":"TLS"}]', 'IMAP_SOURCES: [0].processedFolder: must differ from folder when move is on'],
  ])('a bad source is one line naming the field: %s', (json, expected) => {
    const r = loadConfig({ IMAP_SOURCES: json });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.startsWith(expected)).toBe(true);
    expect(r.error.includes('\n')).toBe(false);
  });

  it('IMAP_SOURCES_FILE that cannot be read names the variable', () => {
    const r = loadConfig({ IMAP_SOURCES_FILE: '/nonexistent/imap.json' });
    expect(r.ok ? '' : r.error).toBe('IMAP_SOURCES_FILE: cannot read "/nonexistent/imap.json" (ENOENT)');
  });
});
