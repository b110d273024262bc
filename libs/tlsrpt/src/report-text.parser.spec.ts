import { describe, expect, it } from 'vitest';
import { parseReportText } from './index.js';

const minimal = {
  'organization-name': 'Sender Org',
  'date-range': { 'start-datetime': '2025-06-01T00:00:00Z', 'end-datetime': '2025-06-01T23:59:59Z' },
  'contact-info': 'tlsrpt@sender.test',
  'report-id': 'r-1',
  policies: [
    {
      policy: { 'policy-type': 'no-policy-found', 'policy-domain': 'dest.test' },
      summary: { 'total-successful-session-count': 3, 'total-failure-session-count': 0 },
    },
  ],
};

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('parseReportText', () => {
  it('RPT-JSON-2: parses a report from text', () => {
    const result = parseReportText(JSON.stringify(minimal));
    expect(result.ok && result.report.policies.map((p) => [p.policyDomain, p.totalSuccessfulSessionCount])).toEqual([['dest.test', 3]]);
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('JSON_INVALID: truncated JSON is refused with the parser message', () => {
    const result = parseReportText(JSON.stringify(minimal).slice(0, 40));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.code).toBe('JSON_INVALID');
    expect(!result.ok && result.reason).toMatch(/^The report is not valid JSON: /);
  });

  it('JSON_INVALID: an empty body is not JSON', () => {
    expect(parseReportText('')).toMatchObject({ ok: false, code: 'JSON_INVALID' });
  });

  it('JSON_TOO_DEEP: nesting past maxJsonDepth is refused before JSON.parse', () => {
    expect(parseReportText(nested(65))).toEqual({ ok: false, code: 'JSON_TOO_DEEP', reason: 'JSON nests deeper than 64 levels' });
    // 64 levels pass the depth check and then fail as a non-object.
    expect(parseReportText(nested(64))).toMatchObject({ ok: false, code: 'NOT_AN_OBJECT' });
    // Far deeper than any parser stack: refused by the scan, not by a stack overflow.
    expect(parseReportText(nested(200_000))).toMatchObject({ ok: false, code: 'JSON_TOO_DEEP' });
  });

  it('JSON_TOO_DEEP: brackets inside strings (and escaped quotes) do not count', () => {
    const text = JSON.stringify({ ...minimal, 'report-id': `\\"${'['.repeat(100)}` });
    const result = parseReportText(text, { maxJsonDepth: 4 });
    expect(result.ok && result.report.reportId).toBe(`\\"${'['.repeat(100)}`);
  });

  it('JSON_TOO_DEEP: a lower limit from the caller applies (a report nests 5 levels)', () => {
    const text = JSON.stringify({ ...minimal, policies: [{ ...minimal.policies[0], 'failure-details': [{}] }] });
    expect(parseReportText(text, { maxJsonDepth: 4 })).toMatchObject({ ok: false, code: 'JSON_TOO_DEEP' });
    expect(parseReportText(text, { maxJsonDepth: 5 }).ok).toBe(true);
  });

  it('NOT_AN_OBJECT: a JSON array or string is not a report', () => {
    expect(parseReportText('[]')).toEqual({ ok: false, code: 'NOT_AN_OBJECT', reason: 'A report must be a JSON object, got an array' });
    expect(parseReportText('"report"')).toMatchObject({ ok: false, code: 'NOT_AN_OBJECT' });
  });

  it('RPT-JSON-1: a leading byte order mark is ignored and flagged', () => {
    const result = parseReportText(`\ufeff${JSON.stringify(minimal)}`);
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['JSON_BOM']);
  });

  it('RPT-JSON-7: a NUL escape inside a string is valid JSON and kept', () => {
    const result = parseReportText(JSON.stringify({ ...minimal, 'report-id': 'id\u0000x' }));
    expect(result.ok && result.report.reportId).toBe('id\u0000x');
  });

  it('RPT-JSON-1: a count beyond double range (1e400) is a BAD_COUNT, not Infinity', () => {
    const text = JSON.stringify(minimal).replace('"total-successful-session-count":3', '"total-successful-session-count":1e400');
    expect(parseReportText(text)).toMatchObject({ ok: false, code: 'BAD_COUNT' });
  });

  it('RPT-DEV-12: a count above 2^53 written as digits is refused rather than rounded', () => {
    const text = JSON.stringify(minimal).replace('"total-successful-session-count":3', '"total-successful-session-count":9007199254740993');
    expect(parseReportText(text)).toMatchObject({ ok: false, code: 'BAD_COUNT' });
  });
});
