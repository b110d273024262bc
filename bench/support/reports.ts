import { gzipSync } from 'fflate';

/** A Google-shaped daily report; `failures` rows make it larger. Each `i` gives a distinct report-id. */
export function googleReport(i: number, failures = 0, domain = `bench${i % 20}.example`): string {
  const day = new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86400_000).toISOString().slice(0, 10);
  const details = Array.from({ length: failures }, (_, k) => ({
    'result-type': k % 3 === 0 ? 'certificate-expired' : k % 3 === 1 ? 'starttls-not-supported' : 'validation-failure',
    'sending-mta-ip': `198.51.${(k >> 8) & 255}.${k & 255}`,
    'receiving-ip': `203.0.113.${k % 250}`,
    'receiving-mx-hostname': `mx${k % 4}.${domain}`,
    'failed-session-count': 1 + (k % 7),
    'failure-reason-code': 'bench',
  }));
  return JSON.stringify({
    'organization-name': 'Google Inc.',
    'date-range': { 'start-datetime': `${day}T00:00:00Z`, 'end-datetime': `${day}T23:59:59Z` },
    'contact-info': 'smtp-tls-reporting@google.com',
    'report-id': `${day}T00:00:00Z_${domain}_${i}`,
    policies: [
      {
        policy: {
          'policy-type': 'sts',
          'policy-string': ['version: STSv1', 'mode: testing', `mx: mx1.${domain}`, `mx: mx2.${domain}`, 'max_age: 86400'],
          'policy-domain': domain,
          'mx-host': [`mx1.${domain}`, `mx2.${domain}`],
        },
        summary: { 'total-successful-session-count': 1000 + i, 'total-failure-session-count': failures },
        ...(failures ? { 'failure-details': details } : {}),
      },
    ],
  });
}

export function reportMail(json: string, to: string): string {
  return attachmentMail(gzipSync(new TextEncoder().encode(json)), to);
}

/** A Google-layout report mail whose `application/tlsrpt+gzip` attachment holds exactly `bytes`. */
export function attachmentMail(bytes: Uint8Array, to: string): string {
  const gz = Buffer.from(bytes).toString('base64').replace(/.{76}/g, '$&\r\n');
  const boundary = 'bench-boundary';
  return [
    'From: noreply-smtp-tls-reporting@google.com',
    `To: ${to}`,
    'Subject: Report Domain: bench.example Submitter: google.com Report-ID: <bench>',
    'MIME-Version: 1.0',
    'TLS-Report-Domain: bench.example',
    'TLS-Report-Submitter: google.com',
    `Content-Type: multipart/report; report-type=tlsrpt; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'This is an aggregate TLS report from google.com',
    `--${boundary}`,
    'Content-Type: application/tlsrpt+gzip; name="google.com!bench.example!1!2.json.gz"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="google.com!bench.example!1!2.json.gz"',
    '',
    gz,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
