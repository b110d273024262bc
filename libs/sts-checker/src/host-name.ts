// Host names are validated before any lookup, so nothing odd ever reaches the resolver or a socket.
import ipaddr from 'ipaddr.js';

const LDH_LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export type HostNameProblem = 'EMPTY' | 'IP_LITERAL' | 'TOO_LONG' | 'LABEL_INVALID' | 'SINGLE_LABEL';

export function isIpLiteral(name: string): boolean {
  const bare = name.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) && (bare.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(bare));
}

/** LDH labels of 1–63 chars, at least two labels, ≤253 chars; one trailing dot is tolerated. */
export function hostNameProblem(name: string): HostNameProblem | null {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare === '') return 'EMPTY';
  if (isIpLiteral(bare)) return 'IP_LITERAL';
  if (bare.length > 253) return 'TOO_LONG';
  const labels = bare.split('.');
  if (!labels.every((l) => LDH_LABEL_RE.test(l))) return 'LABEL_INVALID';
  if (labels.length < 2) return 'SINGLE_LABEL';
  return null;
}

/** Lower case, no trailing dot. */
export function canonicalHost(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}
