import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportMail } from './support/report-mail-builder.js';
import { sendSmtp } from './support/smtp-client.js';
import { bootTestApp, RUA, type TestApp } from './support/test-app.js';

/**
 * Our own quirk fixtures (test/fixtures/reports, one sender quirk each, see its README) through the real SMTP
 * listener. Expected values are read straight from each fixture's JSON, field by field.
 */
const DIR = join(import.meta.dirname, 'fixtures/reports');
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const SUBMITTER = 'fixture-sender.test';

const count = (v: unknown) => (typeof v === 'number' ? v : 0);

function expectedOf(json: any) {
  return {
    organization: json['organization-name'] ?? SUBMITTER,
    policies: (json.policies ?? []).map((p: any) => ({
      policyType: p.policy?.['policy-type'] ?? null,
      policyDomain: p.policy?.['policy-domain'] ? domainToASCII(p.policy['policy-domain']) : null,
      successfulSessions: count(p.summary?.['total-successful-session-count']),
      failedSessions: count(p.summary?.['total-failure-session-count']),
      failureRows: (p['failure-details'] ?? []).length,
    })),
  };
}

describe('quirk fixtures through SMTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  for (const file of fixtures) {
    it(`stores ${file} with the organization, domains, counts and failure rows it carries`, async () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const json = JSON.parse(text);
      const res = await sendSmtp({ port: app.smtpPort, to: [RUA], data: buildReportMail({ payload: text, gzip: true, submitter: SUBMITTER }) });
      expect(res.final).toEqual({ code: 250, text: '2.0.0 1 report(s) stored' });
      const list = await app.json(`/api/reports?limit=500`);
      const match = list.items.filter((r: any) => r.reportId === json['report-id']);
      expect(match).toHaveLength(1);
      const detail = await app.json(`/api/reports/${match[0].id}`);
      const exp = expectedOf(json);
      expect(detail.organization).toBe(exp.organization);
      expect(
        detail.policies.map((p: any) => ({
          policyType: p.policyType,
          policyDomain: p.policyDomain,
          successfulSessions: p.successfulSessions,
          failedSessions: p.failedSessions,
          failureRows: p.failures.length,
        })),
      ).toEqual(exp.policies);
      expect(detail.reportJson).toBe(text);
    });
  }

  it('records a warning for each deviation and keeps it with the report (microsoft-no-zone: RPT-DEV-1)', async () => {
    const json = JSON.parse(readFileSync(join(DIR, 'microsoft-no-zone.json'), 'utf8'));
    const list = await app.json(`/api/reports?limit=500`);
    const id = list.items.find((r: any) => r.reportId === json['report-id']).id;
    const detail = await app.json(`/api/reports/${id}`);
    expect(detail.warnings.map((w: any) => w.code)).toContain('DATETIME_NO_ZONE');
    expect(detail.dateRange.start).toBe(`${json['date-range']['start-datetime']}.000Z`);
  });
});
