import { Gzip, gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { extractReportsFromMail, type MailExtraction } from './extract-mail.js';
import { DEFAULT_MAIL_CAPS } from './mail-caps.js';

const MiB = 1024 * 1024;
const report = (id: string) => JSON.stringify({ 'organization-name': 'Limits Inc.', 'report-id': id, policies: [] });

/** 1 GiB of zeros streamed through fflate's Gzip one MiB at a time: only the ~1 MiB of output is ever held. */
function streamedGzipBomb(mebibytes: number): Buffer {
  const out: Uint8Array[] = [];
  const gz = new Gzip({ level: 1, mtime: 0 }, (chunk) => out.push(chunk));
  const zeros = new Uint8Array(MiB);
  for (let i = 0; i < mebibytes; i++) gz.push(zeros, i === mebibytes - 1);
  return Buffer.concat(out);
}

function part(type: string, bytes: Uint8Array, name?: string): string {
  const disposition = name ? [`Content-Disposition: attachment; filename="${name}"`] : [];
  const body = Buffer.from(bytes).toString('base64').replace(/.{1,76}/g, '$&\r\n');
  return [`Content-Type: ${type}`, ...disposition, 'Content-Transfer-Encoding: base64', '', body].join('\r\n');
}

function reportMail(parts: string[]): Buffer {
  const boundary = 'limits-boundary';
  const head = [
    'From: noreply-smtp-tls-reporting@reporter.example',
    'To: tls-reports@example.net',
    'Date: Mon, 02 Nov 2026 06:12:31 +0000',
    'Subject: Report Domain: example.net Submitter: reporter.example Report-ID: <limits@reporter.example>',
    'TLS-Report-Domain: example.net',
    'TLS-Report-Submitter: reporter.example',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=tlsrpt; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an aggregate TLS report from reporter.example',
  ];
  return Buffer.from([...head, ...parts.flatMap((p) => [`--${boundary}`, p]), `--${boundary}--`, ''].join('\r\n'));
}

const codes = (x: MailExtraction) => x.candidates.map((c) => c.error?.code ?? 'ok');

describe('extractReportsFromMail: decompressed cap (RPT-DLV-7)', () => {
  it('a 1 GiB gzip bomb made by fflate Gzip stops at the 20 MiB cap, RSS grows < 64 MiB', { timeout: 120_000 }, async () => {
    const bomb = streamedGzipBomb(1024);
    expect(bomb.length).toBeLessThan(2 * MiB);
    const raw = reportMail([part('application/tlsrpt+gzip', bomb, 'bomb.json.gz')]);
    const before = process.memoryUsage().rss;
    const x = await extractReportsFromMail(raw, DEFAULT_MAIL_CAPS);
    const grown = process.memoryUsage().rss - before;
    expect(x.outcome).toBe('quarantine');
    expect(codes(x)).toEqual(['DECOMPRESSED_TOO_LARGE']);
    expect(x.reason).toBe('decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of 20971520 bytes');
    expect(grown).toBeLessThan(64 * MiB);
  });

  it('a gzip report one byte over a small cap names that cap', async () => {
    const json = report('x'.repeat(200));
    const raw = reportMail([part('application/tlsrpt+gzip', gzipSync(strToU8(json)))]);
    expect(await extractReportsFromMail(raw, { ...DEFAULT_MAIL_CAPS, maxDecompressedBytes: json.length })).toMatchObject({ outcome: 'reports' });
    const x = await extractReportsFromMail(raw, { ...DEFAULT_MAIL_CAPS, maxDecompressedBytes: json.length - 1 });
    expect(x.outcome).toBe('quarantine');
    expect(x.reason).toBe(`decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of ${json.length - 1} bytes`);
  });

  it('a zip entry over the cap is DECOMPRESSED_TOO_LARGE and names the cap', async () => {
    const raw = reportMail([part('application/zip', zipSync({ 'r.json': strToU8(report('y'.repeat(5000))) }), 'r.json.zip')]);
    const x = await extractReportsFromMail(raw, { ...DEFAULT_MAIL_CAPS, maxDecompressedBytes: 4096 });
    expect(x.outcome).toBe('quarantine');
    expect(codes(x)).toEqual(['DECOMPRESSED_TOO_LARGE']);
    expect(x.reason).toBe('decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of 4096 bytes');
  });

  it('a zip entry that declares 10 bytes but inflates to 30 MiB is stopped at the 20 MiB cap', async () => {
    const zip = zipSync({ 'r.json': new Uint8Array(30 * MiB).fill(0x20) });
    const view = new DataView(zip.buffer, zip.byteOffset);
    view.setUint32(22, 10, true); // local file header: uncompressed size
    const central = Buffer.from(zip).lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    view.setUint32(central + 24, 10, true); // central directory: uncompressed size
    const x = await extractReportsFromMail(reportMail([part('application/zip', zip, 'r.json.zip')]), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('quarantine');
    expect(codes(x)).toEqual(['DECOMPRESSED_TOO_LARGE']);
    expect(x.reason).toBe('decompressed report exceeds the MAX_DECOMPRESSED_BYTES cap of 20971520 bytes');
  });
});

describe('extractReportsFromMail: MIME part cap', () => {
  const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d);
  const parts = Array.from({ length: 150 }, (_, i) =>
    i === 119 ? part('application/tlsrpt+gzip', gzipSync(strToU8(report('number-120'))), 'r.json.gz') : part('image/png', png, `img${i + 1}.png`),
  );

  it('150 attachments with the report as number 120: past the default cap of 100, no-report naming the cap', async () => {
    const x = await extractReportsFromMail(reportMail(parts), DEFAULT_MAIL_CAPS);
    expect(x.outcome).toBe('no-report');
    expect(x.candidates).toEqual([]);
    expect(x.reason).toBe(
      'none of the first 100 attachment(s) (image/png) holds gzip, zip or JSON data (50 of 150 parts past the MAX_MIME_PARTS cap of 100 were not examined)',
    );
  });

  it('the same message with a cap of 150 finds the report at part index 119', async () => {
    const x = await extractReportsFromMail(reportMail(parts), { ...DEFAULT_MAIL_CAPS, maxParts: 150 });
    expect(x.outcome).toBe('reports');
    expect(x.candidates.map((c) => [c.partIndex, c.filename, JSON.parse(c.json!.text)['report-id']])).toEqual([[119, 'r.json.gz', 'number-120']]);
    expect(x.reason).toBeNull();
  });
});
