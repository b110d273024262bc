import { describe, expect, it } from 'vitest';
import { reportDedupeKey, submitterDomainFromContact, type TlsReport } from './index.js';

const base: TlsReport = {
  organizationName: 'Google Inc.',
  dateRange: { start: new Date('2025-05-22T00:00:00Z'), end: new Date('2025-05-22T23:59:59Z') },
  contactInfo: 'smtp-tls-reporting@google.com',
  reportId: '2025-05-22T00:00:00Z_foo-bar.io',
  policies: [],
};

describe('reportDedupeKey', () => {
  it('RPT-DEV-20: the key is (organization-name, report-id, start, end)', () => {
    expect(reportDedupeKey(base, 'ignored.example')).toEqual({
      organization: 'Google Inc.',
      reportId: '2025-05-22T00:00:00Z_foo-bar.io',
      start: new Date('2025-05-22T00:00:00Z'),
      end: new Date('2025-05-22T23:59:59Z'),
    });
  });

  it('RPT-DEV-20: the same id with a different range is a different key', () => {
    const other = { ...base, dateRange: { start: new Date('2025-05-23T00:00:00Z'), end: new Date('2025-05-23T23:59:59Z') } };
    expect(reportDedupeKey(other).start).not.toEqual(reportDedupeKey(base).start);
  });

  it('RPT-DEV-11: without organization-name the submitter domain from the caller is used', () => {
    expect(reportDedupeKey({ ...base, organizationName: null }, ' Google.COM ').organization).toBe('google.com');
  });

  it('RPT-DEV-11: without a caller domain the contact-info domain is used', () => {
    expect(reportDedupeKey({ ...base, organizationName: null }, null).organization).toBe('google.com');
    expect(reportDedupeKey({ ...base, organizationName: null }, '').organization).toBe('google.com');
  });

  it('RPT-DEV-10/11: with no organization, submitter or contact the organization is ""', () => {
    expect(reportDedupeKey({ ...base, organizationName: null, contactInfo: null }).organization).toBe('');
  });
});

describe('submitterDomainFromContact', () => {
  it('RPT-DLV-2: the domain part of an addr-spec, lower-cased', () => {
    expect(submitterDomainFromContact('tlsrpt-noreply@Microsoft.com')).toBe('microsoft.com');
  });

  it('RPT-DLV-2: mailto: URIs, display names and web URLs', () => {
    expect(submitterDomainFromContact('mailto:tls-reports@nameless.test')).toBe('nameless.test');
    expect(submitterDomainFromContact('TLS Reports <reports@corp.mail.ru>')).toBe('corp.mail.ru');
    expect(submitterDomainFromContact('https://reports.company-x.example/contact')).toBe('reports.company-x.example');
  });

  it('RPT-DEV-10: null, empty or unusable contact-info gives null', () => {
    expect(submitterDomainFromContact(null)).toBeNull();
    expect(submitterDomainFromContact('')).toBeNull();
    expect(submitterDomainFromContact('admin')).toBeNull();
    expect(submitterDomainFromContact('someone@')).toBeNull();
    expect(submitterDomainFromContact('a@not a domain')).toBeNull();
  });
});
