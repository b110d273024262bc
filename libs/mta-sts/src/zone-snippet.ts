// BIND zone-file text for the generated TXT records.

const MAX_TXT_STRING = 255;
/** RPT-TXT-6: the TLS-RPT record rarely changes and should be cached long; the _mta-sts TTL stays short (STS-FET-5). */
export const TLSRPT_MIN_TTL = 86400;

/** One TXT rdata: quoted, `"` and `\` escaped, split into ≤255-byte strings (joined again by resolvers, STS-TXT-8). */
export function quoteTxt(value: string): string {
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += MAX_TXT_STRING) chunks.push(value.slice(i, i + MAX_TXT_STRING));
  if (chunks.length === 0) chunks.push('');
  return chunks.map((c) => `"${c.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`).join(' ');
}

/** STS-TXT-1: the `_mta-sts` TXT of a policy domain (each mail-receiving subdomain needs its own). */
export function stsRecordName(domain: string): string {
  return `_mta-sts.${domain}`;
}

/** RPT-TXT-1, RPT-TXT-7: the TLS-RPT TXT of a policy domain, or of an MX host for DANE (TLSA base domain) reports. */
export function tlsRptRecordName(domain: string): string {
  return `_smtp._tls.${domain}`;
}

export interface ZoneSnippetInput {
  domain: string;
  policyUrl: string;
  stsTxt: string;
  tlsRptTxt: string | null;
  ttl: number;
}

export function zoneSnippet(input: ZoneSnippetInput): string {
  const lines = [
    `; MTA-STS for ${input.domain}: serve the policy at ${input.policyUrl}`,
    '; (HTTP 200, Content-Type: text/plain; charset=utf-8, no redirect) before publishing a new id.',
    `${stsRecordName(input.domain)}. ${input.ttl} IN TXT ${quoteTxt(input.stsTxt)}`,
  ];
  if (input.tlsRptTxt !== null) lines.push(`${tlsRptRecordName(input.domain)}. ${Math.max(input.ttl, TLSRPT_MIN_TTL)} IN TXT ${quoteTxt(input.tlsRptTxt)}`);
  return `${lines.join('\n')}\n`;
}
