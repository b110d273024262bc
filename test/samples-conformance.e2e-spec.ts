import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportMail } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

/**
 * Every real report in ../shared/samples goes through the real SMTP listener into PostgreSQL: `.eml` as-is,
 * `.json` wrapped in a report mail both gzipped and plain. Expected values were read off each file by hand
 * (see SOURCES.md for the quirk each exercises).
 */
const SAMPLES = resolve(process.cwd(), '../shared/samples');

type PolicyExpectation = [type: string, domain: string | null, ok: number, failed: number, failureRows: number];
const EXPECTED: Record<string, { org: string; reportId: string; policies: PolicyExpectation[] }> = {
  'cry-inc__dmarc-report-viewer__google.json': { org: 'Google Inc.', reportId: '2025-05-22T00:00:00Z_foo-bar.io', policies: [['sts', 'foo-bar.io', 1, 0, 0]] },
  'cry-inc__dmarc-report-viewer__microsoft.json': {
    org: 'Microsoft Corporation',
    reportId: '133925885310113267+random.net',
    policies: [['sts', 'random.net', 2, 0, 0], ['tlsa', 'random.net', 2, 0, 0]],
  },
  'cry-inc__dmarc-report-viewer__no-contact.json': { org: 'server.com', reportId: '123_456', policies: [['sts', 'server.com', 1, 0, 0]] },
  'cry-inc__dmarc-report-viewer__no-policy.json': { org: 'Google Inc.', reportId: '2025-03-27T00:00:00Z_foo-bar.io', policies: [['no-policy-found', 'foo-bar.io', 1, 0, 0]] },
  'cry-inc__dmarc-report-viewer__no_ip_and_mx.json': { org: 'Microsoft Corporation', reportId: '1234567890+', policies: [['sts', 'xxxxxxxx.xx', 0, 3, 1]] },
  'domainaware__parsedmarc__google.com_smtp_tls_report.eml': {
    org: 'Google Inc.',
    reportId: '2024-09-03T00:00:00Z_cardinalhealth.ca',
    policies: [['no-policy-found', 'cardinalhealth.ca', 48, 0, 0]],
  },
  'domainaware__parsedmarc__mail.ru.json': { org: 'Mail.ru', reportId: 'b28254de-7b2e-be36-bb5c-4c3b92da8b25@mail.ru', policies: [['sts', 'example.com', 0, 1, 2]] },
  'domainaware__parsedmarc__rfc8460.json': { org: 'Company-X', reportId: '5065427c-23d3-47ca-b6e0-946ea0e8c4be', policies: [['sts', 'company-y.example', 5326, 303, 3]] },
  'domainaware__parsedmarc__smtp_tls.json': { org: 'Example Inc.', reportId: '2024-01-09T00:00:00Z_example.com', policies: [['sts', 'example.com', 0, 3, 2]] },
  'isseis__tlsrpt-digest__tlsrpt_failure.eml': { org: 'Google Inc.', reportId: '2026-02-08T00:00:00Z_example.com', policies: [['sts', 'example.com', 4523, 2, 1]] },
  'isseis__tlsrpt-digest__tlsrpt_success_google_1.eml': { org: 'Google Inc.', reportId: '2026-05-11T00:00:00Z_example.com', policies: [['sts', 'example.com', 1, 0, 0]] },
  'isseis__tlsrpt-digest__tlsrpt_success_microsoft.eml': {
    org: 'Microsoft Corporation',
    reportId: '134232617934286362+example.com',
    policies: [['sts', 'example.com', 2, 0, 0]],
  },
  'marcbradshaw__mail-tls-rpt__email.eml': { org: 'Google Inc.', reportId: '2020-03-02T00:00:00Z_fastmaildmarc.com', policies: [['no-policy-found', 'fastmaildmarc.com', 343, 0, 0]] },
  'mjl-__mox__example.eml': { org: 'Google Inc.', reportId: '2022-09-15T00:00:00Z_test.xmox.nl', policies: [['sts', 'test.xmox.nl', 3, 0, 0]] },
  'mjl-__mox__microsoft.eml': { org: 'Microsoft Corporation', reportId: '133198585438131172+test.xmox.nl', policies: [['sts', 'test.xmox.nl', 2, 0, 0]] },
  'opus-codium__email-report-processor__google.com!example.com!1667520000!1667606399!001.json': {
    org: 'Google Inc.',
    reportId: '2022-11-04T00:00:00Z_example.com',
    policies: [['sts', 'example.com', 2, 0, 0]],
  },
  'opus-codium__email-report-processor__report.elm': { org: 'Google Inc.', reportId: '2023-02-02T00:00:00Z_blogreen.org', policies: [['sts', 'blogreen.org', 1, 0, 0]] },
  'stalwartlabs__mail-auth__rpt02.eml': { org: 'Google Inc.', reportId: '2020-01-01T00:00:00Z_example.com', policies: [['sts', 'example.com', 23, 1, 1]] },
  // Malformed on purpose: no policy-domain, unknown policy type, no failure count. Kept, flagged, excluded from rates.
  'stalwartlabs__mail-auth__rpt03.json': {
    org: 'Google Inc.',
    reportId: '2019-04-14T00:00:00Z_example.org',
    policies: [['no-policy-found', null, 1, 0, 0], ['invalid-policy-type', null, 1, 0, 0]],
  },
};

const files = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((f) => /\.(eml|elm|json)$/.test(f)).sort() : [];

describe.runIf(existsSync(SAMPLES))('real-world samples through SMTP (../shared/samples)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has an expectation for every sample file', () => {
    expect(files.filter((f) => !(f in EXPECTED))).toEqual([]);
  });

  async function findReport(reportId: string) {
    const list = await app.json(`/api/reports?limit=500`);
    return list.items.filter((r: { reportId: string }) => r.reportId === reportId);
  }

  async function assertStored(file: string) {
    const exp = EXPECTED[file];
    const matches = await findReport(exp.reportId);
    expect(matches, `${file}: stored exactly once`).toHaveLength(1);
    const detail = await app.json(`/api/reports/${matches[0].id}`);
    expect(detail.organization).toBe(exp.org);
    expect(
      detail.policies.map((p: any) => [p.policyType, p.policyDomain, p.successfulSessions, p.failedSessions, p.failures.length]),
    ).toEqual(exp.policies);
  }

  for (const file of files.filter((f) => !f.endsWith('.json'))) {
    it(`stores ${file} sent as-is`, async () => {
      const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: readFileSync(join(SAMPLES, file)) });
      expect(res.final.code, res.final.text).toBe(250);
      await assertStored(file);
    });
  }

  for (const file of files.filter((f) => f.endsWith('.json'))) {
    it(`stores ${file} wrapped gzipped, and counts the plain copy as a duplicate`, async () => {
      const json = readFileSync(join(SAMPLES, file), 'utf8');
      const gz = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: json, gzip: true }) });
      expect(gz.final.code, gz.final.text).toBe(250);
      expect(gz.final.text).toContain('1 report(s) stored');
      const plain = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: json, gzip: false }) });
      expect(plain.final.code, plain.final.text).toBe(250);
      expect(plain.final.text).toContain('1 duplicate(s) ignored');
      await assertStored(file);
    });
  }
});
