import { Gzip, gzipSync, zipSync, type Zippable } from 'fflate';
import { noReport, quarantined, stored, storedAndQuarantined, tooBig, type ExpectedOutcome } from './expected-outcome.js';
import { attachment, base64Lines, multipartBody, multipartPart, rawMail, reportMail, textPart, type MimePart } from './mime.js';

/**
 * Generates the hostile-input corpus (issue 9): every case is built from its parameters, none is stored on disk.
 * Each case carries the exact outcome the listener must end with under the default limits below.
 */
export interface CorpusCase {
  id: string;
  category: string;
  mail: Buffer;
  expect: ExpectedOutcome;
}

export const CORPUS_LIMITS = {
  maxMessageBytes: 15 * 1024 * 1024,
  maxDecompressedBytes: 20 * 1024 * 1024,
  maxJsonDepth: 64,
  maxPolicies: 1000,
  maxFailureDetails: 100_000,
  maxMimeParts: 100,
};

const enc = (s: string) => new TextEncoder().encode(s);

/** A valid RFC 8460 report object; `mutate` edits it into the hostile variant. */
export function reportObject(reportId: string, mutate?: (r: any) => void): Record<string, unknown> {
  const r: any = {
    'organization-name': 'Corpus Reporter',
    'date-range': { 'start-datetime': '2024-01-01T00:00:00Z', 'end-datetime': '2024-01-01T23:59:59Z' },
    'contact-info': 'tlsrpt@reporter.test',
    'report-id': reportId,
    policies: [
      {
        policy: {
          'policy-type': 'sts',
          'policy-string': ['version: STSv1', 'mode: testing', 'mx: mx1.example.com', 'max_age: 86400'],
          'policy-domain': 'example.com',
          'mx-host': ['mx1.example.com'],
        },
        summary: { 'total-successful-session-count': 10, 'total-failure-session-count': 1 },
        'failure-details': [
          { 'result-type': 'certificate-expired', 'sending-mta-ip': '192.0.2.1', 'receiving-mx-hostname': 'mx1.example.com', 'failed-session-count': 1 },
        ],
      },
    ],
  };
  mutate?.(r);
  return r;
}

const json = (id: string, mutate?: (r: any) => void) => JSON.stringify(reportObject(id, mutate));
const gz = (text: string | Uint8Array) => gzipSync(typeof text === 'string' ? enc(text) : text, { mtime: 0 });
const gzAttachment = (bytes: Uint8Array) => attachment(bytes, 'application/tlsrpt+gzip');
const jsonAttachment = (text: string | Uint8Array) => attachment(typeof text === 'string' ? enc(text) : text, 'application/tlsrpt+json', 'report.json');

/** Zeros through a streaming gzip: a bomb of `mib` MiB without holding it in memory. */
function gzipZeros(mib: number): Uint8Array {
  const out: Uint8Array[] = [];
  const g = new Gzip({ level: 9, mtime: 0 }, (chunk) => out.push(chunk));
  const zeros = new Uint8Array(1024 * 1024);
  for (let i = 0; i < mib; i++) g.push(zeros, i === mib - 1);
  return Buffer.concat(out);
}

/** Deterministic pseudo-random bytes that start with `XX` (never gzip, zip or JSON). */
function junk(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  out[0] = 0x58;
  out[1] = 0x58;
  return out;
}

type Builder = (add: (category: string, id: string, mail: Buffer, expect: ExpectedOutcome) => void) => void;

const gzipTruncated: Builder = (add) => {
  const full = gz(json('gzip-trunc'));
  // Cut inside the header, inside the deflate data and just before the 8-byte trailer.
  const cuts = [1, 2, 5, 9, 10, 11, 12, 15, 20, 30, 40, 60, 80, 100, 120, 150, full.length - 20, full.length - 12, full.length - 9];
  for (let cut = 13; cut < full.length - 9; cut += 9) if (!cuts.includes(cut)) cuts.push(cut);
  for (const cut of cuts) {
    const id = `gzip-trunc-${cut}`;
    const bytes = full.subarray(0, cut);
    // Under two bytes the gzip magic is gone: the declared type alone keeps it as a report part.
    const code = cut < 2 ? 'NOT_A_REPORT' : 'GZIP_CORRUPT';
    add('gzip truncated', id, reportMail(id, [gzAttachment(bytes)]), quarantined(code));
  }
};

const gzipCorrupt: Builder = (add) => {
  const full = gz(json('gzip-corrupt'));
  // Compression method other than 8 (deflate): refused by the gzip header check.
  for (const cm of [0, 1, 7, 9, 0x10, 0x7f, 0x80, 0xff]) {
    const b = Buffer.from(full);
    b[2] = cm;
    const id = `gzip-cm-${cm}`;
    add('gzip corrupt', id, reportMail(id, [gzAttachment(b)]), quarantined('GZIP_CORRUPT'));
  }
  // First deflate block header with BTYPE=11 (reserved): invalid block type.
  for (const bfinal of [0, 1]) {
    for (const high of [0x00, 0x08, 0x10, 0xf8]) {
      const b = Buffer.from(full);
      b[10] = 0x06 | bfinal | high;
      const id = `gzip-btype-${bfinal}-${high}`;
      add('gzip corrupt', id, reportMail(id, [gzAttachment(b)]), quarantined('GZIP_CORRUPT'));
    }
  }
  // Valid gzip around content that is not a report.
  const notJson: Array<[string, Uint8Array, string]> = [
    ['text', enc('hello, this is not json'), 'NOT_A_REPORT'],
    ['gzip-in-gzip', gz(json('inner')), 'NOT_A_REPORT'],
    ['html', enc('<html><body>report</body></html>'), 'NOT_A_REPORT'],
    ['latin1', Uint8Array.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]), 'INVALID_UTF8'],
    ['empty', new Uint8Array(0), 'GZIP_CORRUPT'],
  ];
  for (const [name, content, code] of notJson) {
    const id = `gzip-content-${name}`;
    add('gzip corrupt', id, reportMail(id, [gzAttachment(gz(content))]), quarantined(code));
  }
};

const bombs: Builder = (add) => {
  for (const mib of [21, 24, 32, 48]) {
    const id = `gzip-bomb-${mib}`;
    add('gzip/zip bomb', id, reportMail(id, [gzAttachment(gzipZeros(mib))]), quarantined('DECOMPRESSED_TOO_LARGE'));
  }
  // A report followed by 30 MiB of whitespace: valid JSON once decompressed, but over the cap.
  const padded = new Uint8Array(30 * 1024 * 1024).fill(0x20);
  padded.set(enc(json('padded-bomb')));
  add('gzip/zip bomb', 'gzip-bomb-padded', reportMail('gzip-bomb-padded', [gzAttachment(gzipSync(padded, { level: 9 }))]), quarantined('DECOMPRESSED_TOO_LARGE'));
  const zero = new Uint8Array(1024 * 1024);
  for (const [name, files] of [
    ['one-entry-30m', { 'r.json': new Uint8Array(30 * 1024 * 1024) }],
    ['many-entries', Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`r${i}.json`, zero]))],
  ] as Array<[string, Zippable]>) {
    const id = `zip-bomb-${name}`;
    add('gzip/zip bomb', id, reportMail(id, [attachment(zipSync(files, { level: 9 }), 'application/zip', 'r.zip')]), quarantined('DECOMPRESSED_TOO_LARGE'));
  }
};

const transferEncodings: Builder = (add) => {
  // Characters outside the base64 alphabet are skipped by the decoder (RFC 2045 §6.8): the report is intact.
  for (const [i, junkChar] of ['!', '*', '#', '%', '~', '\t', '@', '?', '"', ','].entries()) {
    const id = `b64-junk-${i}`;
    const body = Buffer.from(gz(json(id))).toString('base64').replace(/(.{7})/g, `$1${junkChar}`);
    add('bad base64', id, reportMail(id, [{ headers: ['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'], body }]), stored(1));
  }
  // Truncated base64 of plain JSON: the JSON is cut off.
  const text = json('b64-trunc');
  for (const keep of [8, 40, 100, 200, 300]) {
    const id = `b64-trunc-${keep}`;
    const b64 = Buffer.from(text).toString('base64').slice(0, keep);
    add('bad base64', id, reportMail(id, [{ headers: ['Content-Type: application/tlsrpt+json', 'Content-Transfer-Encoding: base64'], body: b64 }]), quarantined('JSON_INVALID'));
  }
  // Nothing decodable at all: the declared report part is empty or junk.
  for (const [i, body] of ['@@@@', '====', '!!!!!!!!', '', '****\r\n****'].entries()) {
    const id = `b64-none-${i}`;
    add('bad base64', id, reportMail(id, [{ headers: ['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64'], body }]), quarantined('NOT_A_REPORT'));
  }
  // An unknown transfer encoding is read as identity: base64 text is not a report.
  for (const cte of ['x-uuencode', 'base65', 'BASE64; junk']) {
    const id = `cte-unknown-${cte.replace(/\W/g, '')}`;
    add('bad base64', id, reportMail(id, [{ headers: ['Content-Type: application/tlsrpt+gzip', `Content-Transfer-Encoding: ${cte}`], body: base64Lines(gz(json(id))) }]), quarantined('NOT_A_REPORT'));
  }
  const qp = (s: string, wrap = false) => {
    const escaped = s.replace(/[=\x80-\xff]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    return wrap ? escaped.replace(/(.{70})/g, '$1=\r\n') : escaped;
  };
  const qpPart = (body: string): MimePart => ({ headers: ['Content-Type: application/tlsrpt+json', 'Content-Transfer-Encoding: quoted-printable'], body });
  add('bad quoted-printable', 'qp-valid', reportMail('qp-valid', [qpPart(qp(json('qp-valid'), true))]), stored(1));
  // Broken escapes are kept literally by the decoder; inside a string they are just text.
  for (const bad of ['=ZZ', '=G1', '=', '=4', '= ', '==']) {
    const id = `qp-bad-${Buffer.from(bad).toString('hex')}`;
    add('bad quoted-printable', id, reportMail(id, [qpPart(qp(json(id, (r) => (r['contact-info'] = 'x'))).replace('"x"', `"x${bad}y"`))]), stored(1));
  }
  // Escapes that decode to bytes that are not UTF-8.
  for (const bytes of ['=FF', '=C0=AF', '=ED=A0=80', '=E9', '=F8=88=80=80=80']) {
    const id = `qp-utf8-${bytes.replace(/=/g, '')}`;
    add('bad quoted-printable', id, reportMail(id, [qpPart(qp(json(id, (r) => (r['contact-info'] = 'x'))).replace('"x"', `"x${bytes}"`))]), quarantined('INVALID_UTF8'));
  }
  for (const keep of [20, 120, 250]) {
    const id = `qp-trunc-${keep}`;
    add('bad quoted-printable', id, reportMail(id, [qpPart(qp(json(id)).slice(0, keep).replace(/=[0-9A-F]?$/, ''))]), quarantined('JSON_INVALID'));
  }
};

const contentTypes: Builder = (add) => {
  const declared = [
    'application/tlsrpt+gzip',
    'application/tlsrpt+json',
    'application/tlsrpt',
    'APPLICATION/TLSRPT+GZIP',
    'application/gzip',
    'application/x-gzip',
    'application/zip',
    'application/json',
    'application/octet-stream',
    'text/plain',
    'text/html',
    'image/png',
    'application/pdf',
    'application/x-unknown-thing',
  ];
  const wrong: Array<[string, Uint8Array]> = [
    ['random', junk(1, 2048)],
    ['text', enc('This is definitely not a report.\r\nRegards\r\n')],
    ['png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['pdf', enc('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n')],
    ['html', enc('<!doctype html><p>report</p>')],
    ['array-json', enc('[{"report-id":"x"}]')],
  ];
  // Bytes that sniff as a container or JSON are decoded whatever the label says, and fail there.
  const misleading: Array<[string, Uint8Array, string]> = [
    ['gzip-magic-only', Uint8Array.from([0x1f, 0x8b]), 'GZIP_CORRUPT'],
    ['zip-magic-only', Uint8Array.from([0x50, 0x4b, 0x03, 0x04]), 'ZIP_EMPTY'],
    ['json-garbage', enc('{not json at all'), 'JSON_INVALID'],
  ];
  for (const type of declared) {
    for (const [name, bytes] of wrong) {
      const id = `ct-${type.replace(/\W/g, '_')}-${name}`;
      // Only a part declared as a TLS report is kept when its bytes are not one; anything else is ignored.
      const expect = /^application\/tlsrpt/i.test(type) ? quarantined('NOT_A_REPORT') : noReport();
      add('content-type with wrong bytes', id, reportMail(id, [attachment(bytes, type, `f-${name}.bin`)]), expect);
    }
    for (const [name, bytes, code] of misleading) {
      const id = `ct-${type.replace(/\W/g, '_')}-${name}`;
      add('content-type with wrong bytes', id, reportMail(id, [attachment(bytes, type, `f-${name}.bin`)]), quarantined(code));
    }
    // The right bytes under the wrong label are found by sniffing (RPT-DEV-21).
    const id = `ct-${type.replace(/\W/g, '_')}-gzip-report`;
    add('content-type with wrong bytes', id, reportMail(id, [attachment(gz(json(id)), type, 'f.bin')]), stored(1));
  }
};

const deepJson: Builder = (add) => {
  for (const depth of [65, 66, 100, 500, 1000, 5000, 10_000, 100_000]) {
    for (const where of ['array', 'object']) {
      const id = `deep-${where}-${depth}`;
      const open = where === 'array' ? '['.repeat(depth) : '{"a":'.repeat(depth);
      const close = where === 'array' ? ']'.repeat(depth) : '}'.repeat(depth);
      // The report object itself is level 1, so `depth` more levels always exceed MAX_JSON_DEPTH 64.
      const text = json(id).replace(/}$/, `,"x-deep":${open}1${close}}`);
      add('deep JSON', id, reportMail(id, [gzAttachment(gz(text))]), quarantined('JSON_TOO_DEEP'));
    }
  }
  // Unbalanced: only opening brackets.
  for (const n of [70, 100_000]) {
    const id = `deep-unclosed-${n}`;
    add('deep JSON', id, reportMail(id, [gzAttachment(gz('{"a":' + '['.repeat(n)))]), quarantined('JSON_TOO_DEEP'));
  }
  // Exactly at the limit, and brackets inside strings, are fine.
  const atLimit = `deep-at-limit`;
  add('deep JSON', atLimit, reportMail(atLimit, [gzAttachment(gz(json(atLimit).replace(/}$/, `,"x-deep":${'['.repeat(63)}1${']'.repeat(63)}}`)))]), stored(1));
  const inString = 'deep-in-string';
  add('deep JSON', inString, reportMail(inString, [gzAttachment(gz(json(inString, (r) => (r['contact-info'] = '['.repeat(10_000)))))]), stored(1));
};

const numbers: Builder = (add) => {
  const bad: Array<[string, string]> = [
    ['huge', '1e30'],
    ['max', '1.7976931348623157e308'],
    ['unsafe', '9007199254740993'],
    ['neg', '-1'],
    ['neg-big', '-9007199254740991'],
    ['frac', '1.5'],
    ['tiny', '1e-9'],
    ['string', '"5"'],
    ['string-word', '"many"'],
    ['bool', 'true'],
    ['array', '[1]'],
    ['object', '{"n":1}'],
  ];
  for (const [name, literal] of bad) {
    for (const field of ['total-successful-session-count', 'total-failure-session-count', 'failed-session-count']) {
      const id = `num-${field}-${name}`;
      const text = json(id, (r) => {
        if (field === 'failed-session-count') r.policies[0]['failure-details'][0][field] = '@@';
        else r.policies[0].summary[field] = '@@';
      }).replace('"@@"', literal);
      add('bad numbers', id, reportMail(id, [gzAttachment(gz(text))]), quarantined('BAD_COUNT'));
    }
  }
  // Accepted: zero, the largest safe integer, exponent notation of an integer, a null (missing, warned).
  for (const [name, literal] of [['zero', '0'], ['safe-max', '9007199254740991'], ['exp-int', '1e3'], ['null', 'null']]) {
    const id = `num-ok-${name}`;
    const text = json(id, (r) => (r.policies[0].summary['total-successful-session-count'] = '@@')).replace('"@@"', literal);
    add('bad numbers', id, reportMail(id, [gzAttachment(gz(text))]), stored(1));
  }
};

const ipFields: Builder = (add) => {
  const values: unknown[] = [
    'x.x.x.x',
    '999.1.1.1',
    '1.2.3',
    '192.0.2.1/24',
    '::ffff:192.0.2.1',
    '2001:db8::zz',
    "'; DROP TABLE report; --",
    '<script>alert(1)</script>',
    'a'.repeat(10_000),
    '',
    ' ',
    12345,
    true,
    ['192.0.2.1'],
    { ip: '192.0.2.1' },
    '\u202e1.2.3.4',
    'fe80::1%eth0',
    '0x7f.1',
  ];
  values.forEach((v, i) => {
    for (const field of ['sending-mta-ip', 'receiving-ip']) {
      const id = `ip-${field}-${i}`;
      add('non-IP in IP fields', id, reportMail(id, [gzAttachment(gz(json(id, (r) => (r.policies[0]['failure-details'][0][field] = v))))]), stored(1));
    }
  });
};

const dates: Builder = (add) => {
  const bad: Array<[string, unknown, string]> = [
    ['word', 'yesterday', 'BAD_DATE'],
    ['empty', '', 'BAD_DATE'],
    ['month13', '2024-13-01T00:00:00Z', 'BAD_DATE'],
    ['feb30', '2024-02-30T00:00:00Z', 'BAD_DATE'],
    ['feb29-2023', '2023-02-29T00:00:00Z', 'BAD_DATE'],
    ['hour24', '2024-01-01T24:00:00Z', 'BAD_DATE'],
    ['zone-99', '2024-01-01T00:00:00+99:00', 'BAD_DATE'],
    ['number', 1704067200, 'BAD_DATE'],
    ['epoch-string', '1704067200', 'BAD_DATE'],
    ['date-only', '2024-01-01', 'BAD_DATE'],
    ['year5', '20240-01-01T00:00:00Z', 'BAD_DATE'],
    // Valid RFC 3339 whose UTC instant falls in year 0 or 10000: no day can hold it (it used to fail the insert: 451).
    ['utc-year-0', '0001-01-01T00:30:00+01:00', 'BAD_DATE'],
    ['utc-year-10000', '9999-12-31T23:59:59-05:00', 'BAD_DATE'],
    ['null', null, 'MISSING_FIELD'],
    ['object', { y: 2024 }, 'BAD_DATE'],
    ['nul', '2024-01-01T00:00:00Z\u0000', 'BAD_DATE'],
  ];
  for (const [name, value, code] of bad) {
    for (const key of ['start-datetime', 'end-datetime']) {
      const id = `date-${key}-${name}`;
      add('invalid dates', id, reportMail(id, [gzAttachment(gz(json(id, (r) => (r['date-range'][key] = value))))]), quarantined(code));
    }
  }
  const ranges: Array<[string, string, string]> = [
    ['reversed-day', '2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z'],
    ['reversed-second', '2024-01-01T00:00:01Z', '2024-01-01T00:00:00Z'],
    ['reversed-years', '2030-01-01T00:00:00Z', '1999-01-01T00:00:00Z'],
    ['reversed-by-zone', '2024-01-01T10:00:00+00:00', '2024-01-01T10:30:00+01:00'],
  ];
  for (const [name, start, end] of ranges) {
    const id = `date-${name}`;
    add('invalid dates', id, reportMail(id, [gzAttachment(gz(json(id, (r) => (r['date-range'] = { 'start-datetime': start, 'end-datetime': end }))))]), quarantined('DATE_RANGE_REVERSED'));
  }
  for (const [name, range] of [['missing-range', undefined], ['range-string', '2024-01-01/2024-01-02'], ['range-array', []]] as Array<[string, unknown]>) {
    const id = `date-${name}`;
    add('invalid dates', id, reportMail(id, [gzAttachment(gz(json(id, (r) => (r['date-range'] = range))))]), quarantined('MISSING_FIELD'));
  }
  // Odd but valid: extreme years, a leap second, a long range (stored with a warning).
  for (const [name, start, end] of [
    ['year-0001', '0001-01-01T00:00:00Z', '0001-01-01T23:59:59Z'],
    ['year-9999', '9999-12-31T00:00:00Z', '9999-12-31T23:59:59Z'],
    ['leap-second', '2016-12-31T00:00:00Z', '2016-12-31T23:59:60Z'],
    ['ten-years', '2014-01-01T00:00:00Z', '2024-01-01T00:00:00Z'],
  ]) {
    const id = `date-ok-${name}`;
    add('invalid dates', id, reportMail(id, [gzAttachment(gz(json(id, (r) => (r['date-range'] = { 'start-datetime': start, 'end-datetime': end }))))]), stored(1));
  }
};

const manyPolicies: Builder = (add) => {
  const policy = (i: number) => ({
    policy: { 'policy-type': 'sts', 'policy-domain': `d${i}.example`, 'mx-host': ['mx.example'] },
    summary: { 'total-successful-session-count': 1, 'total-failure-session-count': 0 },
  });
  for (const n of [1001, 10_000]) {
    const id = `policies-${n}`;
    add('10,000 policies', id, reportMail(id, [gzAttachment(gz(json(id, (r) => (r.policies = Array.from({ length: n }, (_, i) => policy(i))))))]), quarantined('TOO_MANY_POLICIES'));
  }
  const id = 'policies-1000';
  add('10,000 policies', id, reportMail(id, [gzAttachment(gz(json(id, (r) => (r.policies = Array.from({ length: 1000 }, (_, i) => policy(i))))))]), stored(1));
  const fdId = 'failure-details-100001';
  const detail = { 'result-type': 'validation-failure', 'receiving-mx-hostname': 'mx.example', 'failed-session-count': 1 };
  add(
    '10,000 policies',
    fdId,
    reportMail(fdId, [gzAttachment(gz(json(fdId, (r) => (r.policies[0]['failure-details'] = Array.from({ length: 100_001 }, () => detail)))))]),
    quarantined('TOO_MANY_FAILURE_DETAILS'),
  );
};

const nulAndUtf8: Builder = (add) => {
  // NUL as a JSON escape inside text fields that PostgreSQL stores as text.
  const fields: Array<[string, (r: any, v: string) => void]> = [
    ['org', (r, v) => (r['organization-name'] = v)],
    ['report-id', (r, v) => (r['report-id'] = v)],
    ['contact', (r, v) => (r['contact-info'] = v)],
    ['policy-domain', (r, v) => (r.policies[0].policy['policy-domain'] = v)],
    ['policy-string', (r, v) => (r.policies[0].policy['policy-string'] = [v])],
    ['mx-host', (r, v) => (r.policies[0].policy['mx-host'] = [v])],
    ['result-type', (r, v) => (r.policies[0]['failure-details'][0]['result-type'] = v)],
    ['receiving-mx', (r, v) => (r.policies[0]['failure-details'][0]['receiving-mx-hostname'] = v)],
    ['sending-ip', (r, v) => (r.policies[0]['failure-details'][0]['sending-mta-ip'] = v)],
    ['additional-info', (r, v) => (r.policies[0]['failure-details'][0]['additional-information'] = v)],
    ['unknown-key', (r, v) => (r[`x-${v}`] = v)],
  ];
  for (const [name, set] of fields) {
    const id = `nul-escape-${name}`;
    add('NUL bytes and invalid UTF-8', id, reportMail(id, [gzAttachment(gz(json(id, (r) => set(r, `a\u0000b-${id}`))))]), stored(1));
  }
  // Raw control bytes in JSON text are not JSON.
  for (const [name, at] of [['nul-in-string', '"Corpus\u0000Reporter"'], ['nul-between', '{\u0000"organization-name"'], ['bell', '"Corpus\u0007Reporter"']]) {
    const id = `nul-raw-${name}`;
    const text = json(id).replace(name === 'nul-between' ? '{"organization-name"' : '"Corpus Reporter"', at);
    add('NUL bytes and invalid UTF-8', id, reportMail(id, [gzAttachment(gz(text))]), quarantined('JSON_INVALID'));
  }
  // Lone surrogates as escapes are valid JSON but cannot be stored as UTF-8 text.
  for (const [name, esc] of [['high', '\\ud800'], ['low', '\\udc00'], ['reversed', '\\udc00\\ud800']]) {
    const id = `surrogate-${name}`;
    add('NUL bytes and invalid UTF-8', id, reportMail(id, [gzAttachment(gz(json(id).replace('"Corpus Reporter"', `"Corpus${esc}Reporter"`)))]), stored(1));
  }
  const invalid: Array<[string, number[]]> = [
    ['ff', [0xff]],
    ['overlong-slash', [0xc0, 0xaf]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['truncated-3', [0xe2, 0x82]],
    ['five-byte', [0xf8, 0x88, 0x80, 0x80, 0x80]],
    ['latin1-e9', [0xe9]],
    ['continuation', [0x80]],
    ['above-max', [0xf4, 0x90, 0x80, 0x80]],
  ];
  for (const [name, bytes] of invalid) {
    for (const container of ['gzip', 'json']) {
      const id = `utf8-${container}-${name}`;
      const text = Buffer.from(json(id).replace('"Corpus Reporter"', '"Corpus @@ Reporter"'));
      const at = text.indexOf('@@');
      const raw = Buffer.concat([text.subarray(0, at), Buffer.from(bytes), text.subarray(at + 2)]);
      const part = container === 'gzip' ? gzAttachment(gz(raw)) : jsonAttachment(raw);
      add('NUL bytes and invalid UTF-8', id, reportMail(id, [part]), quarantined('INVALID_UTF8'));
    }
  }
  // NUL and invalid UTF-8 in the mail headers do not stop a good report.
  for (const [name, header] of [
    ['subject-nul', 'X-Odd: a\u0000b'],
    ['subject-ff', 'X-Odd: caf\u00e9 \u00ff\u00fe'],
    ['from-nul', 'Reply-To: a\u0000@b.test'],
    ['tls-report-domain-nul', 'TLS-Report-Submitter: rep\u0000orter.test'],
    ['encoded-word-nul', 'X-Odd: =?utf-8?B?' + Buffer.from('a\u0000b').toString('base64') + '?='],
  ]) {
    const id = `header-${name}`;
    add('NUL bytes and invalid UTF-8', id, reportMail(id, [gzAttachment(gz(json(id)))], [header]), stored(1));
  }
  // Headers the writer keeps (Subject, From, Message-ID) with NUL and lone surrogates in them.
  for (const [name, lines] of [
    ['subject-raw-nul', ['Subject: Report Domain: example.com \u0000 Submitter: x']],
    ['subject-qp-nul', ['Subject: =?utf-8?Q?a=00b?=']],
    ['subject-b64-surrogate', [`Subject: =?utf-8?B?${Buffer.from([0xed, 0xa0, 0x80]).toString('base64')}?=`]],
    ['from-nul', ['From: "A\u0000B" <a@reporter.test>']],
    ['message-id-nul', ['Message-ID: <a\u0000b@reporter.test>']],
  ] as Array<[string, string[]]>) {
    const id = `kept-header-${name}`;
    add('NUL bytes and invalid UTF-8', id, rawMail(id, [...lines, 'Content-Type: multipart/mixed; boundary="k"'], multipartBody('k', [gzAttachment(gz(json(id)))])), stored(1));
  }
  const subjectNul = 'header-subject-encoded-nul';
  add(
    'NUL bytes and invalid UTF-8',
    subjectNul,
    rawMail(subjectNul, ['Content-Type: multipart/mixed; boundary="q"', `X-Subject: =?utf-8?Q?a=00b?=`], multipartBody('q', [gzAttachment(gz(json(subjectNul)))])),
    stored(1),
  );
};

const headers: Builder = (add) => {
  // mailparser refuses a header block past its own size limit: a permanent 550, never a crash or a 451.
  const tooLongForMime = noReport('the message could not be parsed as MIME: Max header size for a MIME node exceeded');
  for (const kib of [1, 64, 998 / 1024, 1024, 4096]) {
    const id = `header-long-${Math.round(kib * 1024)}`;
    add('enormous headers', id, reportMail(id, [gzAttachment(gz(json(id)))], [`X-Long: ${'h'.repeat(Math.round(kib * 1024))}`]), kib >= 1024 ? tooLongForMime : stored(1));
  }
  for (const n of [1000, 10_000, 50_000]) {
    const id = `header-many-${n}`;
    const lines = Array.from({ length: n }, (_, i) => `X-H${i}: v${i}`);
    add('enormous headers', id, reportMail(id, [gzAttachment(gz(json(id)))], lines), n >= 50_000 ? tooLongForMime : stored(1));
  }
  for (const n of [1000, 100_000]) {
    const id = `header-folded-${n}`;
    add('enormous headers', id, reportMail(id, [gzAttachment(gz(json(id)))], [`X-Folded: start${'\r\n continued'.repeat(n)}`]), n >= 100_000 ? tooLongForMime : stored(1));
  }
  const subj = 'header-subject-1m';
  add('enormous headers', subj, reportMail(subj, [gzAttachment(gz(json(subj)))], [`Subject: ${'s '.repeat(512 * 1024)}`]), tooLongForMime);
  const partHdr = 'header-part-long';
  add('enormous headers', partHdr, reportMail(partHdr, [{ ...gzAttachment(gz(json(partHdr))), headers: [...gzAttachment(new Uint8Array()).headers, `X-Part: ${'p'.repeat(1024 * 1024)}`] }]), tooLongForMime);
  const over = 'header-over-size';
  add('enormous headers', over, reportMail(over, [gzAttachment(gz(json(over)))], [`X-Huge: ${'z'.repeat(16 * 1024 * 1024)}`]), tooBig(CORPUS_LIMITS.maxMessageBytes));
  const noBody = 'header-only';
  add('enormous headers', noBody, Buffer.from(`Subject: only headers\r\nX-A: ${'a'.repeat(100_000)}\r\n`), noReport('no attachment'));
};

const attachmentsMany: Builder = (add) => {
  for (const n of [150, 300, 600]) {
    const id = `attach-junk-${n}`;
    const parts = Array.from({ length: n }, (_, i) => attachment(junk(i, 64), 'application/octet-stream', `f${i}.bin`));
    add('hundreds of attachments', id, reportMail(id, parts), noReport());
  }
  for (const n of [150, 400]) {
    const id = `attach-distinct-${n}`;
    // Only the first MAX_MIME_PARTS leaf parts are examined; the text part is not an attachment.
    const parts = Array.from({ length: n }, (_, i) => gzAttachment(gz(json(`${id}-${i}`))));
    add('hundreds of attachments', id, reportMail(id, parts), stored(CORPUS_LIMITS.maxMimeParts));
  }
  const same = 'attach-same-200';
  const one = gzAttachment(gz(json(same)));
  add('hundreds of attachments', same, reportMail(same, Array.from({ length: 200 }, () => one)), stored(1, CORPUS_LIMITS.maxMimeParts - 1));
  const late = 'attach-report-last-of-200';
  const parts = [...Array.from({ length: 199 }, (_, i) => attachment(junk(i, 64), 'application/octet-stream', `f${i}.bin`)), gzAttachment(gz(json(late)))];
  add('hundreds of attachments', late, reportMail(late, parts), noReport());
  const mixed = 'attach-mixed-bad';
  const mixedParts = Array.from({ length: 50 }, (_, i) => (i % 2 ? gzAttachment(gz(json(`${mixed}-${i}`))) : gzAttachment(junk(i, 40).map((b, j) => (j === 0 ? 0x1f : j === 1 ? 0x8b : j === 2 ? 9 : b)))));
  add('hundreds of attachments', mixed, reportMail(mixed, mixedParts), storedAndQuarantined(25, Array(25).fill('GZIP_CORRUPT')));
};

const nesting: Builder = (add) => {
  for (const depth of [2, 10, 50, 100]) {
    const id = `nested-${depth}`;
    let part: MimePart = gzAttachment(gz(json(id)));
    for (let d = 0; d < depth; d++) part = multipartPart(`n${d}-${id}`, [textPart(`level ${d}`), part]);
    add('nested multiparts', id, reportMail(id, [part]), stored(1));
  }
  for (const depth of [3, 20]) {
    const id = `nested-alternative-${depth}`;
    let part: MimePart = gzAttachment(gz(json(id)));
    for (let d = 0; d < depth; d++) part = multipartPart(`a${d}-${id}`, [part], d % 2 ? 'alternative' : 'related');
    add('nested multiparts', id, reportMail(id, [part]), stored(1));
  }
  const rfc822 = 'nested-message-rfc822';
  const inner = rawMail(`${rfc822}-inner`, ['Content-Type: multipart/mixed; boundary="inner"'], multipartBody('inner', [gzAttachment(gz(json(rfc822)))]));
  // A report forwarded inside another message is not looked into: the forwarder's DKIM could not vouch for it anyway.
  add('nested multiparts', rfc822, reportMail(rfc822, [{ headers: ['Content-Type: message/rfc822'], body: inner }]), noReport('none of its 1 attachment(s) (message/rfc822)'));
  const empty = 'nested-empty-multiparts';
  add('nested multiparts', empty, reportMail(empty, [multipartPart('e1', [multipartPart('e2', [])])]), noReport());
};

const boundaries: Builder = (add) => {
  const body = (id: string, b: string) => multipartBody(b, [textPart('hi'), gzAttachment(gz(json(id)))]);
  const noParam = 'boundary-missing-param';
  // Without a boundary the body is one opaque part: there is no attachment to find.
  add('missing boundaries', noParam, rawMail(noParam, ['Content-Type: multipart/mixed'], body(noParam, 'zz')), noReport('no attachment'));
  const unused = 'boundary-never-used';
  add('missing boundaries', unused, rawMail(unused, ['Content-Type: multipart/mixed; boundary="declared"'], body(unused, 'other')), noReport('no attachment'));
  const noClose = 'boundary-no-close';
  const closed = body(noClose, 'nc').toString('latin1');
  add('missing boundaries', noClose, rawMail(noClose, ['Content-Type: multipart/mixed; boundary="nc"'], closed.replace(/--nc--\r\n$/, '')), stored(1));
  const emptyB = 'boundary-empty';
  add('missing boundaries', emptyB, rawMail(emptyB, ['Content-Type: multipart/mixed; boundary=""'], body(emptyB, 'x')), noReport('no attachment'));
  const longB = 'boundary-long';
  const lb = 'L'.repeat(200);
  add('missing boundaries', longB, rawMail(longB, [`Content-Type: multipart/mixed; boundary="${lb}"`], body(longB, lb)), stored(1));
  const noCt = 'boundary-no-content-type';
  add('missing boundaries', noCt, rawMail(noCt, [], body(noCt, 'x')), noReport('no attachment'));
  const bare = 'bare-gzip-body';
  // A whole message body that is base64 gzip under a report type is itself the report part.
  add('missing boundaries', bare, rawMail(bare, ['Content-Type: application/tlsrpt+gzip', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="r.json.gz"'], base64Lines(gz(json(bare)))), stored(1));
  const lf = 'bare-lf-lines';
  add('missing boundaries', lf, Buffer.from(reportMail(lf, [gzAttachment(gz(json(lf)))]).toString('latin1').replace(/\r\n/g, '\n'), 'latin1'), stored(1));
};

const zips: Builder = (add) => {
  const z = (files: Zippable) => zipSync(files, { level: 6, mtime: new Date('2024-01-01T00:00:00Z') });
  const zipPart = (bytes: Uint8Array) => attachment(bytes, 'application/zip', 'reports.zip');
  const two = 'zip-two-reports';
  add('zip archives', two, reportMail(two, [zipPart(z({ 'a.json': enc(json(`${two}-a`)), 'b.json': enc(json(`${two}-b`)) }))]), stored(2));
  const ten = 'zip-ten-reports';
  add('zip archives', ten, reportMail(ten, [zipPart(z(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`r${i}.json`, enc(json(`${ten}-${i}`))]))))]), stored(10));
  const withJunk = 'zip-report-and-readme';
  add('zip archives', withJunk, reportMail(withJunk, [zipPart(z({ 'README.txt': enc('hello'), 'r.json': enc(json(withJunk)) }))]), stored(1));
  const dupInZip = 'zip-same-report-twice';
  add('zip archives', dupInZip, reportMail(dupInZip, [zipPart(z({ 'a.json': enc(json(dupInZip)), 'b.json': enc(json(dupInZip)) }))]), stored(1, 1));
  for (const [name, files] of [
    ['dir-only', { 'reports/': {} }],
    ['readme-only', { 'README.txt': enc('no report here') }],
    ['empty-file', { 'r.json': new Uint8Array(0) }],
  ] as Array<[string, Zippable]>) {
    const id = `zip-${name}`;
    add('zip archives', id, reportMail(id, [zipPart(z(files))]), quarantined('ZIP_EMPTY'));
  }
  // An archive with no entry at all is only the end-of-central-directory record (PK\x05\x06).
  add('zip archives', 'zip-no-entries', reportMail('zip-no-entries', [zipPart(z({}))]), quarantined('ZIP_EMPTY'));
  const full = z({ 'r.json': enc(json('zip-trunc')) });
  for (const cut of [4, 10, 30, 40, 60]) {
    const id = `zip-trunc-${cut}`;
    // Cut inside the 30-byte local header no entry is seen at all; past it the entry is cut short.
    add('zip archives', id, reportMail(id, [zipPart(full.subarray(0, cut))]), quarantined(cut <= 30 ? 'ZIP_EMPTY' : 'ZIP_CORRUPT'));
  }
  const badEntry = 'zip-bad-deflate';
  const b = Buffer.from(z({ 'r.json': enc(json(badEntry)) }));
  b[30 + 'r.json'.length] = 0x07; // first deflate byte: BTYPE=11
  add('zip archives', badEntry, reportMail(badEntry, [zipPart(b)]), quarantined('ZIP_CORRUPT'));
  const zipInvalidUtf8 = 'zip-invalid-utf8';
  add('zip archives', zipInvalidUtf8, reportMail(zipInvalidUtf8, [zipPart(z({ 'r.json': Uint8Array.from([0x7b, 0xff, 0x7d]) }))]), quarantined('INVALID_UTF8'));
};

const duplicates: Builder = (add) => {
  const twice = 'same-twice-gzip';
  const part = gzAttachment(gz(json(twice)));
  add('same report twice', twice, reportMail(twice, [part, part]), stored(1, 1));
  const mixed = 'same-twice-gzip-and-json';
  add('same report twice', mixed, reportMail(mixed, [gzAttachment(gz(json(mixed))), jsonAttachment(json(mixed))]), stored(1, 1));
  const thrice = 'same-thrice';
  const p3 = gzAttachment(gz(json(thrice)));
  add('same report twice', thrice, reportMail(thrice, [p3, p3, p3]), stored(1, 2));
  const reordered = 'same-report-reordered-keys';
  const obj = reportObject(reordered);
  const reversedKeys = JSON.stringify(Object.fromEntries(Object.entries(obj).reverse()));
  add('same report twice', reordered, reportMail(reordered, [gzAttachment(gz(json(reordered))), gzAttachment(gz(reversedKeys))]), stored(1, 1));
  const nested = 'same-twice-nested';
  const pn = gzAttachment(gz(json(nested)));
  add('same report twice', nested, reportMail(nested, [pn, multipartPart('inner-dup', [pn])]), stored(1, 1));
  const badAndGood = 'same-twice-one-corrupt';
  const good = gz(json(badAndGood));
  add('same report twice', badAndGood, reportMail(badAndGood, [gzAttachment(good), gzAttachment(good.subarray(0, 30))]), storedAndQuarantined(1, ['GZIP_CORRUPT']));
};

const plainText: Builder = (add) => {
  const bodies: Array<[string, string]> = [
    ['empty', ''],
    ['dot', '.'],
    ['dots', '..\r\n...\r\n.x'],
    ['bounce', 'Delivery Status Notification (Failure)\r\n'],
    ['json-in-body', json('json-in-body')],
  ];
  for (const [name, body] of bodies) {
    const id = `plain-${name}`;
    add('no report', id, rawMail(id, ['Content-Type: text/plain'], body), noReport());
  }
};

const BUILDERS: Builder[] = [
  gzipTruncated,
  gzipCorrupt,
  bombs,
  transferEncodings,
  contentTypes,
  deepJson,
  numbers,
  ipFields,
  dates,
  manyPolicies,
  nulAndUtf8,
  headers,
  attachmentsMany,
  nesting,
  boundaries,
  zips,
  duplicates,
  plainText,
];

/** Every case, in a stable order, with unique ids. Each case's envelope sender is `<id>@corpus.test`. */
export function generateCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const seen = new Set<string>();
  for (const build of BUILDERS) {
    build((category, id, mail, expect) => {
      if (seen.has(id)) throw new Error(`duplicate corpus case id ${id}`);
      seen.add(id);
      cases.push({ id, category, mail, expect });
    });
  }
  return cases;
}
