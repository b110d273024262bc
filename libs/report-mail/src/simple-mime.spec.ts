import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CORPUS_LIMITS, generateCorpus } from '../../../test/adversarial/corpus.js';
import { extractReportsFromMail, extractWithMailparser } from './extract-mail.js';
import { DEFAULT_MAIL_CAPS, type MailCaps } from './mail-caps.js';
import { simpleHeadersOf } from './mail-headers.js';
import { readSimpleMail } from './simple-mime.js';

const fixtureDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/mail');
const fixtures = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.eml'))
  .map((f) => ({ name: f, raw: readFileSync(resolve(fixtureDir, f)) }));
const crlf = (raw: Buffer) => Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

const report = (id: string) => JSON.stringify({ 'organization-name': 'Google Inc.', 'report-id': id, 'date-range': {}, policies: [] });
const gz64 = (id: string) => Buffer.from(gzipSync(strToU8(report(id)))).toString('base64').replace(/.{76}/g, '$&\r\n');

/** The layout Google sends, with headers and parts that each variant below bends one way. */
function googleMail(o: { top?: string[]; typeLine?: string; parts?: string[]; preamble?: string; epilogue?: string; boundary?: string } = {}): Buffer {
  const b = o.boundary ?? '000000000000abcdef';
  const parts = o.parts ?? [
    'Content-Type: text/plain; charset="UTF-8"\r\n\r\nThis is an aggregate TLS report from google.com',
    `Content-Type: application/tlsrpt+gzip; name="google.com!example.net!1!2.json.gz"\r\nContent-Disposition: attachment; filename="google.com!example.net!1!2.json.gz"\r\nContent-Transfer-Encoding: base64\r\n\r\n${gz64('r1')}`,
  ];
  const top = o.top ?? [
    'From: noreply-smtp-tls-reporting@google.com',
    'To: tls@example.net',
    'Date: Mon, 02 Nov 2026 06:12:31 +0000',
    'Subject: Report Domain: example.net Submitter: google.com Report-ID: <r1@google.com>',
    'TLS-Report-Domain: example.net',
    'TLS-Report-Submitter: google.com',
    'Message-ID: <abc@mail.gmail.com>',
    'MIME-Version: 1.0',
  ];
  const typeLine = o.typeLine ?? `Content-Type: multipart/report; boundary="${b}"; report-type=tlsrpt`;
  const body = `${o.preamble ?? ''}${parts.map((p) => `--${b}\r\n${p}\r\n`).join('')}--${b}--\r\n${o.epilogue ?? ''}`;
  return Buffer.from([...top, typeLine, '', body].join('\r\n'), 'latin1');
}

const attachment = (headers: string[], body = gz64('r2')) => [...headers, '', body].join('\r\n');
const variants: Array<[string, Buffer]> = [
  ['Google layout', googleMail()],
  ['Microsoft layout: display name, folded subject, html part', googleMail({ top: ['From: TLS Report <tlsrpt-noreply@microsoft.com>', 'Subject: Report Domain: example.net\r\n Submitter: microsoft.com\r\n\tReport-ID: <1@x>', 'TLS-Report-Submitter: microsoft.com'], parts: ['Content-Type: text/html; charset=us-ascii\r\n\r\n<p>{ report }</p>', attachment(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'])] })],
  ['encoded-word subject', googleMail({ top: ['From: a@google.com', 'Subject: =?UTF-8?B?UmVwb3J0?='] })],
  ['quoted display name', googleMail({ top: ['From: "Google, Inc." <a@google.com>'] })],
  ['display name with a dot', googleMail({ top: ['From: Google Inc. <a@google.com>'] })],
  ['punycode sender', googleMail({ top: ['From: a@xn--bcher-kva.example'] })],
  ['two From headers', googleMail({ top: ['From: a@google.com', 'From: b@google.com'] })],
  ['empty and repeated headers', googleMail({ top: ['From: a@google.com', 'Subject:', 'Subject: second', 'Message-ID:  x@y ', 'TLS-Report-Submitter: google.com', 'TLS-Report-Submitter: google.com', 'TLS-Report-Submitter: other.example', 'Date: not a date'] })],
  ['folded submitter and date', googleMail({ top: ['From: a@google.com', 'TLS-Report-Submitter:\r\n google.com', 'Date: Mon, 02 Nov 2026\r\n 06:12:31 +0000'] })],
  ['comment in Content-Type', googleMail({ typeLine: 'Content-Type: multipart/report; boundary="000000000000abcdef" (c); report-type=tlsrpt' })],
  ['unquoted boundary with =', googleMail({ boundary: '=_b=', typeLine: 'Content-Type: multipart/report; boundary==_b=' })],
  ['multipart/mixed, upper-case type', googleMail({ typeLine: 'Content-Type: Multipart/Mixed; Boundary="000000000000abcdef"' })],
  ['multipart/alternative', googleMail({ typeLine: 'Content-Type: multipart/alternative; boundary="000000000000abcdef"' })],
  ['preamble and blank epilogue', googleMail({ preamble: 'This is a multi-part message in MIME format.\r\n', epilogue: '\r\n\r\n' })],
  ['text epilogue', googleMail({ epilogue: 'trailing words\r\n' })],
  ['delimiter with trailing space', Buffer.from(googleMail().toString('latin1').replace('--000000000000abcdef\r\nContent-Type: app', '--000000000000abcdef \r\nContent-Type: app'), 'latin1')],
  ['no close delimiter', Buffer.from(googleMail().toString('latin1').replace('--000000000000abcdef--\r\n', ''), 'latin1')],
  ['octet-stream with a .gz name', googleMail({ parts: [attachment(['Content-Type: application/octet-stream; name="r.json.gz"', 'Content-Transfer-Encoding: base64'])] })],
  ['octet-stream without a name', googleMail({ parts: [attachment(['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64'])] })],
  ['no Content-Type, disposition with a name', googleMail({ parts: [attachment(['Content-Disposition: attachment; filename="r.json.gz"', 'Content-Transfer-Encoding: base64'])] })],
  ['name= and filename= that differ', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+gzip; name="a.json.gz"', 'Content-Disposition: attachment; filename="b.json.gz"', 'Content-Transfer-Encoding: base64'])] })],
  ['empty filename=, unquoted name=', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+gzip; name=a.json.gz', 'Content-Disposition: attachment; filename=""', 'Content-Transfer-Encoding: base64'])] })],
  ['RFC 2231 filename', googleMail({ parts: [attachment(["Content-Type: application/tlsrpt+gzip; name*=utf-8''r.json.gz", 'Content-Transfer-Encoding: base64'])] })],
  ['inline disposition on a gzip part', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+gzip', 'Content-Disposition: inline', 'Content-Transfer-Encoding: base64'])] })],
  ['odd disposition', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+gzip', 'Content-Disposition: report', 'Content-Transfer-Encoding: base64'])] })],
  ['text/plain attachment holding JSON', googleMail({ parts: [attachment(['Content-Type: text/plain', 'Content-Disposition: attachment; filename=r.json'], report('r3'))] })],
  ['inline text/plain holding JSON', googleMail({ parts: [attachment(['Content-Type: text/plain'], report('r4'))] })],
  ['text/json part, 7bit', googleMail({ parts: [attachment(['Content-Type: text/json', 'Content-Transfer-Encoding: 7bit'], report('r5'))] })],
  ['quoted-printable JSON attachment', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+json', 'Content-Transfer-Encoding: quoted-printable'], report('r6').replace(/=/g, '=3D'))] })],
  ['quoted "base64" encoding', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: "base64"'])] })],
  ['base64 with stray characters', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'], `${gz64('r7')}!*`)] })],
  ['base64 with a dropped character', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'], gz64('r8').slice(1))] })],
  ['garbage declared tlsrpt', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'], Buffer.from('not a report').toString('base64'))] })],
  ['part without headers', googleMail({ parts: [`\r\n${report('r9')}`, attachment(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'])] })],
  ['nested multipart', googleMail({ parts: ['Content-Type: multipart/mixed; boundary="inner"\r\n\r\n--inner\r\nContent-Type: application/tlsrpt+json\r\n\r\n{}\r\n--inner--'] })],
  ['message/rfc822 part', googleMail({ parts: [`Content-Type: message/rfc822\r\n\r\n${googleMail().toString('latin1')}`] })],
  ['two reports and a zip-like part', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64']), attachment(['Content-Type: application/gzip; name=b.gz', 'Content-Transfer-Encoding: base64'], gz64('r10')), attachment(['Content-Type: image/png', 'Content-Transfer-Encoding: base64'], 'iVBORw0KGgo=')] })],
  ['8-bit byte in a header', Buffer.concat([googleMail({ top: ['From: a@google.com'] }).subarray(0, 10), Buffer.from([0xe9]), googleMail({ top: ['From: a@google.com'] }).subarray(10)])],
  ['bare LF inside a part', Buffer.from(googleMail().toString('latin1').replace('aggregate TLS report', 'aggregate\nTLS report'), 'latin1')],
  ['bare CR inside a part', Buffer.from(googleMail().toString('latin1').replace('aggregate TLS report', 'aggregate\rTLS report'), 'latin1')],
  ['CR CR LF after a header', Buffer.from(googleMail().toString('latin1').replace('\r\n', '\r\r\n'), 'latin1')],
  ['a CR as the last byte', Buffer.concat([googleMail(), Buffer.from('\r')])],
  ['quoted parameter holding ; and a trailing ;', googleMail({ parts: [attachment(['Content-Type: application/tlsrpt+gzip; name="google.com!a;b!1!2.json.gz";', 'Content-Transfer-Encoding: base64'])] })],
  ['top-level base64 transfer encoding', googleMail({ top: ['From: a@google.com', 'Content-Transfer-Encoding: base64'] })],
  ['header line without a colon', googleMail({ top: ['From: a@google.com', 'Bogus header line'] })],
];

async function sameAsMailparser(raw: Buffer, caps: MailCaps) {
  expect(await extractReportsFromMail(raw, caps)).toEqual(await extractWithMailparser(raw, caps));
}

const readsSimply = (raw: Buffer) => {
  const simple = readSimpleMail(raw);
  return simple !== null && simpleHeadersOf(simple.headers) !== null;
};

describe('simple-mime answers exactly what mailparser answers', () => {
  it.each(variants)('%s', async (_name, raw) => {
    await sameAsMailparser(raw, DEFAULT_MAIL_CAPS);
  });

  it('reads the common layouts itself and leaves the unusual ones to mailparser', () => {
    const simple = new Set(variants.filter(([, raw]) => readsSimply(raw)).map(([name]) => name));
    for (const name of ['Google layout', 'Microsoft layout: display name, folded subject, html part', 'empty and repeated headers', 'preamble and blank epilogue', 'two reports and a zip-like part', 'name= and filename= that differ', 'quoted parameter holding ; and a trailing ;']) {
      expect(simple).toContain(name);
    }
    for (const name of ['encoded-word subject', 'quoted display name', 'punycode sender', 'comment in Content-Type', 'nested multipart', 'octet-stream with a .gz name', 'RFC 2231 filename', 'bare LF inside a part', 'bare CR inside a part', 'CR CR LF after a header', 'a CR as the last byte']) {
      expect(simple).not.toContain(name);
    }
  });

  it.each(fixtures.map((f) => [f.name, f.raw] as const))('fixture %s, as stored and with CRLF line ends', async (_name, raw) => {
    await sameAsMailparser(raw, DEFAULT_MAIL_CAPS);
    await sameAsMailparser(crlf(raw), DEFAULT_MAIL_CAPS);
  });

  it('the Google and Microsoft fixtures, as they arrive over SMTP (CRLF), take the simple path', () => {
    for (const name of ['google-gzip-qp-banner.eml', 'microsoft-html-folded-subject.eml']) {
      expect(readsSimply(crlf(fixtures.find((f) => f.name === name)!.raw))).toBe(true);
    }
  });

  it('every mail of the adversarial corpus', { timeout: 120_000 }, async () => {
    const corpus = generateCorpus();
    const { maxMessageBytes, maxDecompressedBytes, maxMimeParts: maxParts } = CORPUS_LIMITS;
    const caps = { maxMessageBytes, maxDecompressedBytes, maxParts };
    let simple = 0;
    for (const c of corpus.filter((c) => c.mail.length <= maxMessageBytes)) {
      if (readsSimply(c.mail)) simple++;
      await sameAsMailparser(c.mail, caps);
    }
    // Most corpus mails keep the plain layout and bend the report inside it: those are compared on the simple path.
    expect(simple).toBeGreaterThan(300);
  });
});
