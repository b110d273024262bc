import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { extractReportsFromMail, type MailExtraction } from './extract-mail.js';
import { DEFAULT_MAIL_CAPS } from './mail-caps.js';
import { gzipBombOfZeros } from './testing/gzip-bomb.js';

const fixtureDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/mail');
const fixture = (name: string) => readFileSync(resolve(fixtureDir, name));

/** Candidates reduced to what identifies them: the report-id of the decoded JSON, or the error code. */
function summary(x: MailExtraction) {
  return x.candidates.map((c) => ({
    partIndex: c.partIndex,
    filename: c.filename,
    declaredType: c.declaredType,
    container: c.container,
    ...(c.json !== undefined ? { reportId: (JSON.parse(c.json.text) as { 'report-id': string })['report-id'] } : {}),
    ...(c.error ? { error: c.error.code } : {}),
  }));
}

const g = (name: string) => `reporter.example!example.net!1793491200!1793577599!${name}.json`;

describe('extractReportsFromMail: one report found in every MIME shape (RPT-DEV-21/22)', () => {
  const cases: Array<[string, string, ReturnType<typeof summary>]> = [
    [
      'Google layout: base64 +gzip with name= and filename=, QP gateway banner in the text part',
      'google-gzip-qp-banner.eml',
      [{ partIndex: 0, filename: 'google.com!example.net!1793491200!1793577599!001.json.gz', declaredType: 'application/tlsrpt+gzip', container: 'gzip', reportId: 'google-gzip-qp-banner' }],
    ],
    [
      'Microsoft 2024+: text/html human part holding a brace, CRLF',
      'microsoft-html-folded-subject.eml',
      [
        {
          partIndex: 0,
          filename: 'microsoft.com!example.net!1793491200!1793577599!134232617900000001.json.gz',
          declaredType: 'application/tlsrpt+gzip',
          container: 'gzip',
          reportId: '134232617900000001+example.net',
        },
      ],
    ],
    [
      'Mail.ru: report-type="tlsrpt"; quoted with a trailing ; and an empty text/plain part after the report',
      'mailru-quoted-report-type.eml',
      [{ partIndex: 0, filename: `${g('mailru-quoted-report-type')}.gz`, declaredType: 'application/tlsrpt+gzip', container: 'gzip', reportId: 'mailru-quoted-report-type' }],
    ],
    [
      'application/tlsrpt (no suffix), uncompressed 8-bit JSON, no Content-Transfer-Encoding',
      'tlsrpt-json-8bit.eml',
      [{ partIndex: 0, filename: g('tlsrpt-json-8bit'), declaredType: 'application/tlsrpt', container: 'json', reportId: 'tlsrpt-json-8bit' }],
    ],
    [
      'application/tlsrpt+json in base64',
      'tlsrpt-json-base64.eml',
      [{ partIndex: 0, filename: null, declaredType: 'application/tlsrpt+json', container: 'json', reportId: 'tlsrpt-json-base64' }],
    ],
    [
      'application/tlsrpt+json in quoted-printable',
      'tlsrpt-json-quoted-printable.eml',
      [{ partIndex: 0, filename: null, declaredType: 'application/tlsrpt+json', container: 'json', reportId: 'tlsrpt-json-quoted-printable' }],
    ],
    [
      'application/gzip with a name',
      'application-gzip.eml',
      [{ partIndex: 0, filename: 'report.json.gz', declaredType: 'application/gzip', container: 'gzip', reportId: 'application-gzip' }],
    ],
    [
      'application/x-gzip without a name',
      'application-x-gzip.eml',
      [{ partIndex: 0, filename: null, declaredType: 'application/x-gzip', container: 'gzip', reportId: 'application-x-gzip' }],
    ],
    [
      'application/octet-stream with no name and no disposition',
      'octet-stream-no-name.eml',
      [{ partIndex: 0, filename: null, declaredType: 'application/octet-stream', container: 'gzip', reportId: 'octet-stream-no-name' }],
    ],
    [
      'only a Content-Disposition filename',
      'disposition-filename-only.eml',
      [{ partIndex: 0, filename: `${g('disposition-filename-only')}.gz`, declaredType: 'application/tlsrpt+gzip', container: 'gzip', reportId: 'disposition-filename-only' }],
    ],
    [
      'application/json',
      'application-json.eml',
      [{ partIndex: 0, filename: null, declaredType: 'application/json', container: 'json', reportId: 'application-json' }],
    ],
    [
      'a text/plain part sent as an attachment',
      'text-plain-attachment-json.eml',
      [{ partIndex: 0, filename: 'report.json', declaredType: 'text/plain', container: 'json', reportId: 'text-plain-attachment-json' }],
    ],
    [
      'application/zip carrying a .json',
      'zip-json.eml',
      [{ partIndex: 0, filename: 'report.json.zip', declaredType: 'application/zip', container: 'zip', reportId: 'zip-json' }],
    ],
    [
      'single-part message whose top-level type is application/tlsrpt+gzip, CRLF',
      'single-part-gzip.eml',
      [{ partIndex: 0, filename: `${g('single-part-gzip')}.gz`, declaredType: 'application/tlsrpt+gzip', container: 'gzip', reportId: 'single-part-gzip' }],
    ],
    [
      'RPT-DEV-21: +gzip declared but really plain JSON',
      'gzip-declared-plain-json.eml',
      [{ partIndex: 0, filename: null, declaredType: 'application/tlsrpt+gzip', container: 'json', reportId: 'gzip-declared-plain-json' }],
    ],
  ];

  it.each(cases)('%s', async (_label, file, expected) => {
    const x = await extractReportsFromMail(fixture(file), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('reports');
    expect(x.reason).toBeNull();
    expect(summary(x)).toEqual(expected);
  });

  it('a zip with two JSON entries gives two candidates from the same part', async () => {
    const x = await extractReportsFromMail(fixture('zip-two-entries.eml'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('reports');
    expect(summary(x)).toEqual([
      { partIndex: 0, filename: null, declaredType: 'application/zip', container: 'zip', reportId: 'zip-two-entries-1' },
      { partIndex: 0, filename: null, declaredType: 'application/zip', container: 'zip', reportId: 'zip-two-entries-2' },
    ]);
  });

  it('8-bit UTF-8 JSON keeps its non-ASCII characters', async () => {
    const x = await extractReportsFromMail(fixture('tlsrpt-json-8bit.eml'), DEFAULT_MAIL_CAPS);
    expect(JSON.parse(x.candidates[0].json!.text)['organization-name']).toBe('Exämple Größe GmbH');
  });
});

describe('extractReportsFromMail: headers', () => {
  it('RPT-DLV-2/3: Google headers and the Report-ID from the subject', async () => {
    const x = await extractReportsFromMail(fixture('google-gzip-qp-banner.eml'), DEFAULT_MAIL_CAPS);
    expect(x.headers).toEqual({
      tlsReportDomain: 'example.net',
      tlsReportSubmitter: 'google.com',
      fromAddress: 'noreply-smtp-tls-reporting@google.com',
      fromDomain: 'google.com',
      subject: 'Report Domain: example.net Submitter: google.com Report-ID: <2026.11.01T00.00.00Z+example.net@google.com>',
      subjectReportId: '2026.11.01T00.00.00Z+example.net@google.com',
      messageId: '<fixture-google@mail.gmail.com>',
      date: '2026-11-02T06:12:31.000Z',
    });
  });

  it('RPT-DEV-23: Microsoft Report-ID folded onto the next line is unfolded', async () => {
    const x = await extractReportsFromMail(fixture('microsoft-html-folded-subject.eml'), DEFAULT_MAIL_CAPS);
    expect(x.headers.subject).toBe('Report Domain: example.net Submitter: microsoft.com Report-ID: 134232617900000001+example.net');
    expect(x.headers.subjectReportId).toBe('134232617900000001+example.net');
    expect(x.headers.fromDomain).toBe('microsoft.com');
    expect(x.headers.tlsReportSubmitter).toBe('microsoft.com');
  });

  it('RPT-DEV-23: Mail.ru subject "Report" has no Report-ID', async () => {
    const x = await extractReportsFromMail(fixture('mailru-quoted-report-type.eml'), DEFAULT_MAIL_CAPS);
    expect(x.headers.subject).toBe('Report');
    expect(x.headers.subjectReportId).toBeNull();
    expect(x.headers.tlsReportSubmitter).toBe('mail.ru');
    expect(x.headers.messageId).toBeNull();
  });
});

describe('extractReportsFromMail: header oddities', () => {
  const single = (headers: string[]) =>
    Buffer.from([...headers, 'MIME-Version: 1.0', 'Content-Type: application/tlsrpt+json', '', '{"report-id":"h"}', ''].join('\r\n'));

  it('an unreadable Date header gives null, not the time of parsing', async () => {
    const x = await extractReportsFromMail(single(['Date: not a date', 'From: a@reporter.example']), DEFAULT_MAIL_CAPS);
    expect(x.headers.date).toBeNull();
  });

  it('RFC 2047 encoded subject is decoded before the Report-ID is read', async () => {
    const encoded = Buffer.from('Report Domain: example.net Report-ID: <a@b>').toString('base64');
    const x = await extractReportsFromMail(single([`Subject: =?UTF-8?B?${encoded}?=`]), DEFAULT_MAIL_CAPS);
    expect(x.headers.subject).toBe('Report Domain: example.net Report-ID: <a@b>');
    expect(x.headers.subjectReportId).toBe('a@b');
  });

  it('two different TLS-Report-Submitter headers are both kept, so neither one alone can align', async () => {
    const x = await extractReportsFromMail(
      single(['TLS-Report-Submitter: google.com', 'TLS-Report-Submitter: evil.example', 'From: a@google.com']),
      DEFAULT_MAIL_CAPS,
    );
    expect(x.headers.tlsReportSubmitter).toBe('google.com, evil.example');
  });

  it('the From address behind a misleading display name is the one used', async () => {
    const x = await extractReportsFromMail(single(['From: "noreply@google.com" <reports@evil.example>']), DEFAULT_MAIL_CAPS);
    expect(x.headers).toMatchObject({ fromAddress: 'reports@evil.example', fromDomain: 'evil.example' });
  });

  it('a message with no headers at all still yields its report, with every header null', async () => {
    const x = await extractReportsFromMail(single([]), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('reports');
    expect(Object.values(x.headers)).toEqual([null, null, null, null, null, null, null, null]);
  });
});

describe('extractReportsFromMail: quarantine (a report part that cannot be decoded)', () => {
  it('a zip with no entry', async () => {
    const x = await extractReportsFromMail(fixture('zip-empty.eml'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('quarantine');
    expect(summary(x)).toEqual([{ partIndex: 0, filename: 'report.zip', declaredType: 'application/zip', container: 'zip', error: 'ZIP_EMPTY' }]);
    expect(x.reason).toBe('the zip archive holds no file');
  });

  it('a truncated gzip', async () => {
    const x = await extractReportsFromMail(fixture('gzip-truncated.eml'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('quarantine');
    expect(summary(x)).toEqual([{ partIndex: 0, filename: null, declaredType: 'application/tlsrpt+gzip', container: 'gzip', error: 'GZIP_CORRUPT' }]);
    expect(x.reason).toMatch(/^gzip data is corrupt: /);
  });

  it('a part declared application/tlsrpt+gzip whose bytes are HTML is kept, not dropped', async () => {
    const x = await extractReportsFromMail(fixture('tlsrpt-declared-garbage.eml'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('quarantine');
    expect(summary(x)).toEqual([{ partIndex: 0, filename: null, declaredType: 'application/tlsrpt+gzip', container: 'unknown', error: 'NOT_A_REPORT' }]);
    expect(x.reason).toBe('part 0 is declared application/tlsrpt+gzip but its bytes are neither gzip, zip nor JSON');
  });

  it('RPT-DLV-7: a 1 GiB gzip bomb attachment stops at the cap, with little memory', async () => {
    const raw = reportMailWith(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'], gzipBombOfZeros(1024).toString('base64'));
    const before = process.memoryUsage().rss;
    const x = await extractReportsFromMail(raw, DEFAULT_MAIL_CAPS);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    expect(x.outcome).toBe('quarantine');
    expect(summary(x)).toEqual([{ partIndex: 0, filename: null, declaredType: 'application/tlsrpt+gzip', container: 'gzip', error: 'DECOMPRESSED_TOO_LARGE' }]);
    expect(x.reason).toBe('decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of 20971520 bytes');
  });

  it('a message over maxMessageBytes is not parsed and is quarantined with MESSAGE_TOO_LARGE', async () => {
    const raw = fixture('google-gzip-qp-banner.eml');
    const x = await extractReportsFromMail(raw, { ...DEFAULT_MAIL_CAPS, maxMessageBytes: 1000 });
    expect(x.outcome).toBe('quarantine');
    expect(x.candidates.map((c) => c.error?.code)).toEqual(['MESSAGE_TOO_LARGE']);
    expect(x.reason).toBe(`the message of ${raw.length} bytes exceeds the MAX_MESSAGE_BYTES cap of 1000 bytes and was not parsed`);
  });

  it('one good report and one corrupt part: outcome reports, both candidates listed', async () => {
    const raw = multipartMail([
      part(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'], Buffer.from(gzipSync(strToU8('{"report-id":"good"}'))).toString('base64')),
      part(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'], Buffer.from(gzipSync(strToU8('{"report-id":"bad"}')).subarray(0, 12)).toString('base64')),
    ]);
    const x = await extractReportsFromMail(raw, DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('reports');
    expect(summary(x)).toEqual([
      { partIndex: 0, filename: null, declaredType: 'application/tlsrpt+gzip', container: 'gzip', reportId: 'good' },
      { partIndex: 1, filename: null, declaredType: 'application/tlsrpt+gzip', container: 'gzip', error: 'GZIP_CORRUPT' },
    ]);
  });
});

describe('extractReportsFromMail: one decompression budget per message', () => {
  const gzPart = (id: string) =>
    part(
      ['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'],
      Buffer.from(gzipSync(strToU8(JSON.stringify({ 'report-id': id, pad: 'x'.repeat(400) })))).toString('base64'),
    );

  it('parts decode until their sum passes maxDecompressedBytes; the rest are quarantined with the reason', async () => {
    const x = await extractReportsFromMail(multipartMail([gzPart('b1'), gzPart('b2'), gzPart('b3')]), { ...DEFAULT_MAIL_CAPS, maxDecompressedBytes: 1000 });
    expect(x.outcome).toBe('reports');
    expect(summary(x).map((c) => c.reportId ?? c.error)).toEqual(['b1', 'b2', 'DECOMPRESSED_TOO_LARGE']);
    expect(x.candidates[2].error?.reason).toBe('the reports in this message together exceed the MAX_DECOMPRESSED_BYTES cap of 1000 bytes');
  });

  it('a budget used up exactly leaves nothing for the next part', async () => {
    const one = JSON.stringify({ 'report-id': 'b1', pad: 'x'.repeat(400) });
    const x = await extractReportsFromMail(multipartMail([gzPart('b1'), gzPart('b2')]), { ...DEFAULT_MAIL_CAPS, maxDecompressedBytes: one.length });
    expect(summary(x).map((c) => c.reportId ?? c.error)).toEqual(['b1', 'DECOMPRESSED_TOO_LARGE']);
  });
});

describe('extractReportsFromMail: JSON in parts of other declared types', () => {
  const withPart = (type: string) =>
    Buffer.from(
      ['From: a@reporter.example', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'hello', '--b', `Content-Type: ${type}`, '', '{"report-id":"typed"}', '--b--', ''].join('\r\n'),
    );

  it.each(['application/x-json', 'application/vnd.example+json', 'application/xml', 'text/json', 'text/tlsrpt+json'])(
    'RPT-DEV-21: JSON bytes declared %s are read whatever the type',
    async (type) => {
      const x = await extractReportsFromMail(withPart(type), DEFAULT_MAIL_CAPS);
      expect(x.outcome).toBe('reports');
      expect(summary(x)).toEqual([{ partIndex: 0, filename: null, declaredType: type, container: 'json', reportId: 'typed' }]);
    },
  );

  it('a non-attached text/csv part starting with { is human-readable, not a report', async () => {
    const x = await extractReportsFromMail(withPart('text/csv'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('no-report');
    expect(x.candidates).toEqual([]);
  });
});

describe('extractReportsFromMail: no report (RPT-DEV-25)', () => {
  it('cron output with braces in its text/plain body', async () => {
    const x = await extractReportsFromMail(fixture('cron-output.eml'), DEFAULT_MAIL_CAPS);
    expect(x).toMatchObject({ outcome: 'no-report', candidates: [], reason: 'no attachment; the message has text/plain only' });
    expect(x.headers.fromAddress).toBe('root@host.example.net');
  });

  it('a PDF attachment is not a report', async () => {
    const x = await extractReportsFromMail(fixture('pdf-attachment.eml'), DEFAULT_MAIL_CAPS);
    expect(x).toMatchObject({ outcome: 'no-report', candidates: [], reason: 'none of its 1 attachment(s) (application/pdf) holds gzip, zip or JSON data' });
  });

  it('an inline text/html part made only of JSON is still the human-readable part, not a report', async () => {
    const raw = multipartMail([part(['Content-Type: text/html; charset=utf-8'], '{"report-id":"html"}')]);
    const x = await extractReportsFromMail(raw, DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('no-report');
    expect(x.reason).toBe('no attachment; the message has text/plain and text/html only');
  });

  it('bytes that are not a mail at all', async () => {
    const x = await extractReportsFromMail(Buffer.from('\x00\x01\x02 garbage'), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('no-report');
    expect(x.candidates).toEqual([]);
  });
});

describe('extractReportsFromMail: part cap', () => {
  const pdf = part(['Content-Type: application/pdf; name="x.pdf"', 'Content-Transfer-Encoding: base64'], Buffer.from('%PDF-1.4').toString('base64'));
  const gz = part(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'], Buffer.from(gzipSync(strToU8('{"report-id":"late"}'))).toString('base64'));

  it('parts past maxParts are not examined, and the reason says so', async () => {
    const x = await extractReportsFromMail(multipartMail([pdf, pdf, pdf, gz]), { ...DEFAULT_MAIL_CAPS, maxParts: 2 });
    expect(x.outcome).toBe('no-report');
    expect(x.reason).toBe('none of the first 2 attachment(s) (application/pdf) holds gzip, zip or JSON data (2 of 4 parts past the MAX_MIME_PARTS cap of 2 were not examined)');
  });

  it('a report within the cap is found, with a note about the skipped parts', async () => {
    const x = await extractReportsFromMail(multipartMail([gz, pdf, pdf]), { ...DEFAULT_MAIL_CAPS, maxParts: 1 });
    expect(x.outcome).toBe('reports');
    expect(summary(x).map((c) => c.reportId)).toEqual(['late']);
    expect(x.reason).toBe('(2 of 3 parts past the MAX_MIME_PARTS cap of 1 were not examined)');
  });

  it('caps that would turn a limit off throw', async () => {
    const raw = fixture('cron-output.eml');
    await expect(extractReportsFromMail(raw, { ...DEFAULT_MAIL_CAPS, maxParts: 0 })).rejects.toThrow(RangeError);
    await expect(extractReportsFromMail(raw, { ...DEFAULT_MAIL_CAPS, maxMessageBytes: Number.NaN })).rejects.toThrow(RangeError);
    await expect(extractReportsFromMail(raw, { ...DEFAULT_MAIL_CAPS, maxDecompressedBytes: -1 })).rejects.toThrow(RangeError);
  });
});

function part(headers: string[], body: string): string {
  return [...headers, '', body.replace(/.{1,76}/g, '$&\r\n').trimEnd(), ''].join('\r\n');
}

function multipartMail(parts: string[]): Buffer {
  const boundary = 'spec-boundary';
  return Buffer.from(
    [
      'From: noreply@reporter.example',
      'To: tls@example.net',
      'Subject: Report Domain: example.net Submitter: reporter.example Report-ID: <spec@reporter.example>',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=tlsrpt; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'This is an aggregate TLS report.',
      ...parts.flatMap((p) => [`--${boundary}`, p]),
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

function reportMailWith(headers: string[], body: string): Buffer {
  return multipartMail([part(headers, body)]);
}
