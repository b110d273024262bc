import ipaddr from 'ipaddr.js';

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
/** A dotted quad already in canonical form (no leading zeros): most addresses in reports, answered without parsing. */
const CANONICAL_IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/**
 * Canonical text of an IP address (dotted quad without leading zeros, RFC 5952 for IPv6), or null
 * when the text is not an IP. Only the four-part decimal IPv4 form counts: `127.1` or `0x7f.0.0.1`
 * are not addresses in a report (RPT-DEV-9).
 */
export function canonicalIpText(raw: string): string | null {
  if (CANONICAL_IPV4.test(raw)) return raw;
  const text = raw.trim();
  // A zone index (`fe80::1%eth0`) names an interface on the reporter's host, not an address; PostgreSQL's inet refuses it.
  if (text.includes('%')) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text).toString();
  if (!ipaddr.IPv6.isValid(text)) return null;
  const v6 = ipaddr.IPv6.parse(text);
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted tail.
  if (v6.isIPv4MappedAddress()) return `::ffff:${v6.toIPv4Address().toString()}`;
  return v6.toRFC5952String();
}
