// Canonical policy text (STS-POL-18) and normalized comparison (ROLL-6 coverage).
import type { StsPolicy } from './types.js';

/** `version`, `mode`, one `mx` per line, `max_age`, then any extensions; CRLF after every line. */
export function serializePolicy(p: StsPolicy): string {
  const lines = [`version: ${p.version}`, `mode: ${p.mode}`, ...p.mx.map((m) => `mx: ${m}`), `max_age: ${p.maxAge}`];
  for (const [key, value] of Object.entries(p.extensions)) lines.push(`${key}: ${value}`);
  return lines.map((l) => `${l}\r\n`).join('');
}

function mxSet(mx: string[]): Set<string> {
  return new Set(mx.map((m) => m.toLowerCase()));
}

/** Same version, mode and max_age, and the same mx patterns as a case-insensitive set. Extensions are ignored. */
export function policiesEqual(a: StsPolicy, b: StsPolicy): boolean {
  if (a.version !== b.version || a.mode !== b.mode || a.maxAge !== b.maxAge) return false;
  const sa = mxSet(a.mx);
  const sb = mxSet(b.mx);
  return sa.size === sb.size && [...sa].every((m) => sb.has(m));
}
