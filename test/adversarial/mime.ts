/** Deterministic MIME assembly for the corpus: every byte is chosen by the case, nothing is random. */

export const CORPUS_RUA = 'tlsrpt@reports.test';

export interface MimePart {
  /** Header lines of the part, without the trailing blank line. */
  headers: string[];
  /** The already transfer-encoded body (latin1 for binary). */
  body: string | Buffer;
}

export function base64Lines(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** A leaf part holding `bytes` base64-encoded under the declared type. */
export function attachment(bytes: Uint8Array, contentType: string, filename: string | null = 'report.json.gz'): MimePart {
  return {
    headers: [
      `Content-Type: ${contentType}${filename ? `; name="${filename}"` : ''}`,
      'Content-Transfer-Encoding: base64',
      ...(filename ? [`Content-Disposition: attachment; filename="${filename}"`] : []),
    ],
    body: base64Lines(bytes),
  };
}

export function textPart(text: string): MimePart {
  return { headers: ['Content-Type: text/plain; charset=utf-8'], body: text };
}

export function multipartBody(boundary: string, parts: MimePart[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${p.headers.join('\r\n')}\r\n\r\n`, 'latin1'));
    chunks.push(typeof p.body === 'string' ? Buffer.from(p.body, 'latin1') : p.body);
    chunks.push(Buffer.from('\r\n', 'latin1'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return Buffer.concat(chunks);
}

/** A nested multipart as a part of its parent. */
export function multipartPart(boundary: string, parts: MimePart[], subtype = 'mixed'): MimePart {
  return { headers: [`Content-Type: multipart/${subtype}; boundary="${boundary}"`], body: multipartBody(boundary, parts) };
}

export function topHeaders(caseId: string, extra: string[] = []): string[] {
  return [
    'From: TLS reports <noreply-tlsrpt@reporter.test>',
    `To: ${CORPUS_RUA}`,
    `Subject: Report Domain: example.com Submitter: reporter.test Report-ID: <${caseId}@reporter.test>`,
    'Date: Tue, 02 Jan 2024 10:00:00 +0000',
    `Message-ID: <${caseId}@corpus.test>`,
    'MIME-Version: 1.0',
    'TLS-Report-Domain: example.com',
    'TLS-Report-Submitter: reporter.test',
    ...extra,
  ];
}

/** An RFC 8460 §5.3 report mail: a text part and the given parts, under multipart/report. */
export function reportMail(caseId: string, parts: MimePart[], extraHeaders: string[] = []): Buffer {
  const boundary = `b-${caseId}`;
  const head = [...topHeaders(caseId, extraHeaders), `Content-Type: multipart/report; report-type=tlsrpt; boundary="${boundary}"`];
  return Buffer.concat([
    Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'),
    multipartBody(boundary, [textPart(`This is an aggregate TLS report (${caseId}).`), ...parts]),
  ]);
}

/** A mail whose top-level headers and body are given verbatim; a standard header of the same name is replaced. */
export function rawMail(caseId: string, headers: string[], body: string | Buffer): Buffer {
  const nameOf = (line: string) => line.slice(0, line.indexOf(':')).toLowerCase();
  const replaced = new Set(headers.map(nameOf));
  const standard = topHeaders(caseId).filter((line) => !replaced.has(nameOf(line)));
  return Buffer.concat([
    Buffer.from([...standard, ...headers].join('\r\n') + '\r\n\r\n', 'latin1'),
    typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
  ]);
}
