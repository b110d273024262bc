import { describe, expect, it } from 'vitest';
import { reportingDomainOf, sameOrganizationalDomain, subjectReportId } from './report-headers.js';

describe('subjectReportId (RPT-DLV-3)', () => {
  it('takes the id between angle brackets (Google)', () => {
    expect(subjectReportId('Report Domain: example.net Submitter: google.com Report-ID: <2026.11.01T00.00.00Z+example.net@google.com>')).toBe(
      '2026.11.01T00.00.00Z+example.net@google.com',
    );
  });

  it('RPT-DEV-23: takes a bare id after an unfolded subject (Microsoft)', () => {
    expect(subjectReportId('Report Domain: example.net Submitter: microsoft.com Report-ID: 134232617900000001+example.net')).toBe(
      '134232617900000001+example.net',
    );
  });

  it('RPT-DEV-23: a subject without Report-ID (Mail.ru "Report") gives null', () => {
    expect(subjectReportId('Report')).toBeNull();
    expect(subjectReportId(null)).toBeNull();
  });

  it('matches the label case-insensitively', () => {
    expect(subjectReportId('report-id: <abc@x>')).toBe('abc@x');
  });
});

describe('reportingDomainOf (RPT-DLV-6)', () => {
  it('prefers TLS-Report-Submitter, lower-cased, without a trailing dot', () => {
    expect(reportingDomainOf({ tlsReportSubmitter: 'Google.COM.', fromDomain: 'other.example' })).toBe('google.com');
  });

  it('falls back to the From domain when the submitter header is missing or blank', () => {
    expect(reportingDomainOf({ tlsReportSubmitter: null, fromDomain: 'mail.ru' })).toBe('mail.ru');
    expect(reportingDomainOf({ tlsReportSubmitter: '  ', fromDomain: 'mail.ru' })).toBe('mail.ru');
  });

  it('is null when neither is known', () => {
    expect(reportingDomainOf({ tlsReportSubmitter: null, fromDomain: null })).toBeNull();
  });
});

describe('sameOrganizationalDomain', () => {
  it('d=google.com and submitter smtp-tls-reporting.google.com share google.com', () => {
    expect(sameOrganizationalDomain('google.com', 'smtp-tls-reporting.google.com')).toBe(true);
  });

  it('is case- and trailing-dot-insensitive', () => {
    expect(sameOrganizationalDomain('Microsoft.com.', 'microsoft.COM')).toBe(true);
  });

  it('different registrable domains do not match, even under the same public suffix', () => {
    expect(sameOrganizationalDomain('evil.co.uk', 'bank.co.uk')).toBe(false);
    expect(sameOrganizationalDomain('google.com.evil.example', 'google.com')).toBe(false);
  });

  it('a public suffix alone never matches a domain under it', () => {
    expect(sameOrganizationalDomain('co.uk', 'bank.co.uk')).toBe(false);
    expect(sameOrganizationalDomain('com', 'google.com')).toBe(false);
  });

  it('private suffixes separate organizations: two github.io sites are not one reporter', () => {
    expect(sameOrganizationalDomain('attacker.github.io', 'reporter.github.io')).toBe(false);
  });
});
