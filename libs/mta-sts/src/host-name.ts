// Normalization of user-typed host names for the generator: IDN → A-labels, trailing dot, case.
import { domainToASCII } from 'node:url';

export interface NormalizedName {
  /** Lower-case A-label form without trailing dot; '' when the name cannot be converted. */
  ascii: string;
  trailingDot: boolean;
  wasIdn: boolean;
  isIpAddress: boolean;
}

export function normalizeName(input: string): NormalizedName {
  const trimmed = input.trim();
  // Host names never contain ':'; an all-numeric dotted quad is an IPv4 address, not a host name.
  const isIpAddress = trimmed.includes(':') || /^\[.*\]$/.test(trimmed) || /^\d{1,3}(\.\d{1,3}){3}\.?$/.test(trimmed);
  const trailingDot = trimmed.endsWith('.') && trimmed !== '.';
  const bare = trimmed.replace(/\.$/, '');
  const wildcard = bare.startsWith('*.');
  const rest = wildcard ? bare.slice(2) : bare;
  const wasIdn = /[^\x00-\x7F]/.test(rest);
  const converted = wasIdn ? domainToASCII(rest) : rest;
  const ascii = converted === '' && rest !== '' ? '' : (wildcard ? `*.${converted}` : converted).toLowerCase();
  return { ascii, trailingDot, wasIdn, isIpAddress };
}
