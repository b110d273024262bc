import type { Finding, Severity } from './types.js';

export function finding(severity: Severity, code: string, message: string, rule?: string, detail?: string): Finding {
  const f: Finding = { code, severity, message };
  if (rule !== undefined) f.rule = rule;
  if (detail !== undefined) f.detail = detail;
  return f;
}

export function hasError(findings: Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Quotes a value for a message; control characters are shown escaped so messages stay one line. */
export function show(value: string): string {
  return JSON.stringify(value);
}
