import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractReportsFromMail } from './extract-mail.js';
import { DEFAULT_MAIL_CAPS } from './mail-caps.js';

const fixtureDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/mail');
const fixture = (name: string) => readFileSync(resolve(fixtureDir, name));

describe('extractReportsFromMail: bad base64 in the report part', () => {
  it('one character lost from the base64 shifts every later byte: quarantine GZIP_CORRUPT, never a partial report', async () => {
    const x = await extractReportsFromMail(fixture('base64-dropped-character.eml'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('quarantine');
    expect(x.candidates).toHaveLength(1);
    expect(x.candidates[0]).toMatchObject({ partIndex: 0, declaredType: 'application/tlsrpt+gzip', container: 'gzip', error: { code: 'GZIP_CORRUPT' } });
    expect(x.candidates[0].json).toBeUndefined();
    expect(x.reason).toBe('gzip data is truncated or corrupt: the length in its trailer does not match the data');
  });

  it('RFC 2045 §6.8: characters outside the base64 alphabet are ignored and the report decodes', async () => {
    const x = await extractReportsFromMail(fixture('base64-stray-characters.eml'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('reports');
    expect(x.candidates.map((c) => [c.container, JSON.parse(c.json!.text)['report-id']])).toEqual([['gzip', 'base64-stray-characters']]);
  });
});

describe('extractReportsFromMail: mails that hold no report (RPT-DEV-25)', () => {
  it('an image attachment only: no-report, the reason names the attachment type', async () => {
    const x = await extractReportsFromMail(fixture('image-attachment.eml'), DEFAULT_MAIL_CAPS);
    expect(x).toMatchObject({ outcome: 'no-report', candidates: [], reason: 'none of its 1 attachment(s) (image/jpeg) holds gzip, zip or JSON data' });
  });

  it('a whole report pasted into the text/plain body is not read: the human-readable part is never a report', async () => {
    const x = await extractReportsFromMail(fixture('inline-json-body.eml'), DEFAULT_MAIL_CAPS);
    expect(x).toMatchObject({ outcome: 'no-report', candidates: [], reason: 'no attachment; the message has text/plain only' });
    expect(x.headers.subjectReportId).toBe('inline-json-body@reporter.example');
  });

  it('cron output: no-report, the reason says the message is text/plain only', async () => {
    const x = await extractReportsFromMail(fixture('cron-output.eml'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('no-report');
    expect(x.reason).toBe('no attachment; the message has text/plain only');
    expect(x.headers).toMatchObject({ tlsReportDomain: null, tlsReportSubmitter: null, fromDomain: 'host.example.net', subjectReportId: null });
  });
});

describe('extractReportsFromMail: wrappers added on the way (RPT-DEV-22)', () => {
  it('a report part marked Content-Disposition: inline is still found', async () => {
    const x = await extractReportsFromMail(fixture('inline-disposition.eml'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('reports');
    expect(x.candidates.map((c) => [c.partIndex, c.declaredType, c.container, JSON.parse(c.json!.text)['report-id']])).toEqual([
      [0, 'application/tlsrpt+gzip', 'gzip', 'inline-disposition'],
    ]);
  });

  it('a gateway that wraps the multipart/report in a multipart/mixed with its own banner: the report is found in the nested part', async () => {
    const x = await extractReportsFromMail(fixture('gateway-wrapped-mixed.eml'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('reports');
    expect(x.candidates.map((c) => [c.filename, c.container, JSON.parse(c.json!.text)['report-id']])).toEqual([
      ['reporter.example!example.net!1793491200!1793577599!gateway-wrapped-mixed.json.gz', 'gzip', 'gateway-wrapped-mixed'],
    ]);
    expect(x.headers.tlsReportSubmitter).toBe('reporter.example');
  });

  it('a report forwarded as message/rfc822 is not read: no-report naming the attached message type', async () => {
    const x = await extractReportsFromMail(fixture('forwarded-rfc822.eml'), DEFAULT_MAIL_CAPS);
    expect(x).toMatchObject({ outcome: 'no-report', candidates: [], reason: 'none of its 1 attachment(s) (message/rfc822) holds gzip, zip or JSON data' });
    expect(x.headers.fromDomain).toBe('example.net');
  });
});
