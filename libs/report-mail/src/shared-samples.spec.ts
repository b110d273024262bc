import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withTexts } from './testing/decoded-texts.js';
import { decodeReportPayload } from './decode-payload.js';
import { extractReportsFromMail } from './extract-mail.js';
import { DEFAULT_MAIL_CAPS } from './mail-caps.js';
import { reportingDomainOf } from './report-headers.js';

// Real reports from ../shared/samples (read in place, never copied; see SOURCES.md there).
const samplesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/samples');
const present = existsSync(samplesDir);
const files = present ? readdirSync(samplesDir).sort() : [];
const mails = files.filter((f) => /\.(eml|elm)$/.test(f));
const jsons = files.filter((f) => f.endsWith('.json'));

/** Container and report-id of the known samples (SOURCES.md numbers in brackets). */
const expected: Record<string, { container: 'gzip' | 'json'; reportId: string; submitter: string }> = {
  'domainaware__parsedmarc__google.com_smtp_tls_report.eml': { container: 'gzip', reportId: '2024-09-03T00:00:00Z_cardinalhealth.ca', submitter: 'google.com' }, // #1
  'mjl-__mox__example.eml': { container: 'gzip', reportId: '2022-09-15T00:00:00Z_test.xmox.nl', submitter: 'google.com' }, // #15
  'mjl-__mox__microsoft.eml': { container: 'gzip', reportId: '133198585438131172+test.xmox.nl', submitter: 'microsoft.com' }, // #16
  'isseis__tlsrpt-digest__tlsrpt_success_microsoft.eml': { container: 'gzip', reportId: '134232617934286362+example.com', submitter: 'microsoft.com' }, // #17
  'isseis__tlsrpt-digest__tlsrpt_success_google_1.eml': { container: 'gzip', reportId: '2026-05-11T00:00:00Z_example.com', submitter: 'google.com' }, // #18
  'isseis__tlsrpt-digest__tlsrpt_failure.eml': { container: 'gzip', reportId: '2026-02-08T00:00:00Z_example.com', submitter: 'google.com' }, // #19
  'marcbradshaw__mail-tls-rpt__email.eml': { container: 'gzip', reportId: '2020-03-02T00:00:00Z_fastmaildmarc.com', submitter: 'google.com' }, // #20
  'opus-codium__email-report-processor__report.elm': { container: 'gzip', reportId: '2023-02-02T00:00:00Z_blogreen.org', submitter: 'google.com' }, // #21
  'stalwartlabs__mail-auth__rpt02.eml': { container: 'json', reportId: '2020-01-01T00:00:00Z_example.com', submitter: 'mail.sender.example.com' }, // #25
};

describe.skipIf(!present)('shared samples (../shared/samples)', () => {
  it('holds mail samples to check', () => {
    expect(mails.length).toBeGreaterThanOrEqual(9);
  });

  it.each(mails)('%s yields exactly one decoded report', async (name) => {
    const x = await extractReportsFromMail(readFileSync(resolve(samplesDir, name)), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('reports');
    expect(x.candidates).toHaveLength(1);
    const [c] = x.candidates;
    expect(c.error).toBeUndefined();
    const report = JSON.parse(c.json!.text) as { 'report-id': string };
    const known = expected[name];
    if (known) {
      expect(c.container).toBe(known.container);
      expect(report['report-id']).toBe(known.reportId);
      expect(reportingDomainOf(x.headers)).toBe(known.submitter);
    } else {
      expect(['gzip', 'zip', 'json']).toContain(c.container);
    }
  });

  it.each(jsons)('%s decodes as a plain JSON payload', (name) => {
    const bytes = readFileSync(resolve(samplesDir, name));
    const decoded = decodeReportPayload(bytes, DEFAULT_MAIL_CAPS);
    expect(withTexts(decoded)).toEqual({ ok: true, container: 'json', jsons: [bytes.toString('utf8').replace(/^\uFEFF/, '')] });
  });
});
