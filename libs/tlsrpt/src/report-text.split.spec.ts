import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitFailureDetails } from './failure-details-split.js';
import { parseReportBytes, parseReportText, parseReportTextSplitFrom, SPLIT_FROM_BYTES } from './report-text.parser.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/reports/', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../../../../shared/samples/', import.meta.url));

const jsonFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)) : []);

const detail = (k: number, extra: Record<string, unknown> = {}) => ({
  'result-type': k % 2 ? 'validation-failure' : 'certificate-expired',
  'sending-mta-ip': `198.51.100.${k}`,
  'receiving-ip': `203.0.113.${k}`,
  'receiving-mx-hostname': `mx${k}.dest.test`,
  'failed-session-count': k + 1,
  'failure-reason-code': `reason "${k}" [x] {y}`,
  ...extra,
});

const report = (policies: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    'organization-name': 'Split Org',
    'date-range': { 'start-datetime': '2025-06-01T00:00:00Z', 'end-datetime': '2025-06-01T23:59:59Z' },
    'contact-info': 'tlsrpt@split.test',
    'report-id': 'split-1',
    policies,
    ...extra,
  });

const policy = (details: unknown, failed = 10) => ({
  policy: { 'policy-type': 'sts', 'policy-domain': 'dest.test', 'policy-string': ['version: STSv1'], 'mx-host': ['mx1.dest.test'] },
  summary: { 'total-successful-session-count': 5, 'total-failure-session-count': failed },
  'failure-details': details,
});

/** The split parse must give exactly what one JSON.parse of the whole text gives, rejections and warnings included. */
function expectSameAsWhole(text: string, limits?: Parameters<typeof parseReportText>[1]) {
  expect(parseReportTextSplitFrom(text, limits, 0)).toEqual(parseReportTextSplitFrom(text, limits, Number.MAX_SAFE_INTEGER));
}

const u8 = (text: string) => new TextEncoder().encode(text);

describe('splitFailureDetails', () => {
  it('replaces each policies entry failure-details array by a placeholder and records its element spans', () => {
    const text = report([policy([detail(0), detail(1)]), policy([])]);
    const split = splitFailureDetails(u8(text))!;
    expect(split.arrays).toHaveLength(2);
    expect(JSON.parse(split.skeleton).policies.map((p: Record<string, unknown>) => p['failure-details'])).toEqual([[0], [1]]);
    const [first] = split.arrays;
    expect(first.starts.map((s, k) => JSON.parse(text.slice(s, first.ends[k])))).toEqual([detail(0), detail(1)]); // ASCII: bytes = characters
    expect(split.arrays[1].starts).toEqual([]);
  });

  it('splits the failure-details of a single policies object, and leaves arrays elsewhere alone', () => {
    const text = report(policy([detail(0)]), { 'failure-details': [1, 2] });
    const skeleton = JSON.parse(splitFailureDetails(u8(text))!.skeleton);
    expect(skeleton.policies['failure-details']).toEqual([0]);
    expect(skeleton['failure-details']).toEqual([1, 2]);
  });

  it('measures how deep the whole text nests, inside skipped values and split rows too', () => {
    expect(splitFailureDetails(u8(report([policy([detail(0)])])))!.maxDepth).toBe(5);
    expect(splitFailureDetails(u8(report([policy([detail(0, { x: [[{ y: [] }]] })])])))!.maxDepth).toBe(9);
    expect(splitFailureDetails(u8(report([policy([])], { deep: [[[[[['[[[[[[[[[[']]]]]] })))!.maxDepth).toBe(7);
    expect(splitFailureDetails(u8('{}'))!.maxDepth).toBe(1);
  });

  it('gives up on malformed text (the whole-text parse then reports the error)', () => {
    expect(splitFailureDetails(u8('[1]'))).toBeNull();
    expect(splitFailureDetails(u8(report([policy([detail(0), detail(1)])]).replace('},{', '}{')))).toBeNull();
    expect(splitFailureDetails(u8(report([policy([detail(0), detail(1)])]).replace('},{', '},,{')))).toBeNull();
    expect(splitFailureDetails(u8(report([policy([detail(0)])]).slice(0, -3)))).toBeNull();
  });
});

describe('parseReportText: split failure-details parse as the whole text does', () => {
  it('reports above the split threshold are parsed split, with the same result', () => {
    const many = Array.from({ length: 6000 }, (_, k) => detail(k, { 'failure-reason-code': 'x'.repeat(200) }));
    const text = report([policy(many, 6000 * 6001)]);
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const result = parseReportText(text);
    expect(result.ok && result.report.policies[0].failureDetails).toHaveLength(6000);
    expectSameAsWhole(text);
  });

  it.each([...jsonFiles(FIXTURES), ...jsonFiles(SAMPLES)])('%s', (file) => {
    expectSameAsWhole(readFileSync(file, 'utf8'));
  });

  it.each([
    ['non-object elements', report([policy([detail(0), 7, 'x', null, [1], detail(1)])])],
    ['failure-details as an object', report([policy(detail(3))])],
    ['failure-details null or a string', report([policy(null), policy('none')])],
    ['policies as one object', report(policy([detail(0), detail(1)]))],
    ['non-object policies entries', report([1, policy([detail(2)]), 'p'])],
    ['a BAD_COUNT in a detail', report([policy([detail(0), detail(1, { 'failed-session-count': '3' })])])],
    ['a detail warning per row (truncated warnings)', report([policy(Array.from({ length: 150 }, (_, k) => detail(k, { 'sending-mta-ip': 'not an ip' })))])],
    ['failure sum above total', report([policy([detail(5), detail(6)], 2)])],
    ['escaped key names', report([policy([detail(0)])]).replace('"failure-details"', '"failure\\u002ddetails"')],
    ['whitespace everywhere', JSON.stringify(JSON.parse(report([policy([detail(0), detail(1)])])), null, '\t').replace(/,/g, ' ,\r\n ')],
    ['a BOM', '\ufeff' + report([policy([detail(0)])])],
    ['duplicate failure-details keys', report([policy([detail(0)])]).replace('"failure-details":', '"failure-details":[{"result-type":"a"}],"failure-details":')],
    ['duplicate policies keys', report([policy([detail(0)])]).replace('"policies":', '"policies":[{"failure-details":[1,2,3]}],"policies":')],
    ['an empty details array', report([policy([], 0)])],
    ['a syntax error in a detail', report([policy([detail(0), detail(1)])]).replace('"failed-session-count":2', '"failed-session-count":2,')],
    ['a syntax error after a rejection', report([policy([detail(0, { 'failed-session-count': -1 })]), policy([detail(1)])]).replace('"failed-session-count":2', '"failed-session-count":02')],
    ['trailing text', report([policy([detail(0)])]) + ' x'],
    ['a non-object report', JSON.stringify([report([policy([detail(0)])])])],
  ])('%s', (_name, text) => {
    expectSameAsWhole(text);
  });

  it('the failure-details cap counts split elements', () => {
    const text = report([policy([detail(0), detail(1)]), policy([detail(2)])]);
    expect(parseReportTextSplitFrom(text, { maxFailureDetails: 2 }, 0)).toMatchObject({ ok: false, code: 'TOO_MANY_FAILURE_DETAILS' });
    expectSameAsWhole(text, { maxFailureDetails: 2 });
  });

  it('random single-character edits of a report give the same result either way', () => {
    const base = report([policy([detail(0), detail(1), 5]), policy(detail(2))], { extra: [{ 'failure-details': [1] }] });
    const alphabet = '[]{},:"\\ 0-1eE.ntf\u0000';
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 3000; round++) {
      const at = random(base.length);
      const c = alphabet[random(alphabet.length)];
      const edit = random(3);
      const text = edit === 0 ? base.slice(0, at) + base.slice(at + 1) : edit === 1 ? base.slice(0, at) + c + base.slice(at) : base.slice(0, at) + c + base.slice(at + 1);
      expectSameAsWhole(text);
    }
  });
});

describe('parseReportBytes: a report parsed from its UTF-8 bytes in pieces, as its whole text would be', () => {
  const whole = (text: string, limits?: Parameters<typeof parseReportText>[1]) => parseReportTextSplitFrom(text, limits, Number.MAX_SAFE_INTEGER);
  const expectBytesSameAsWhole = (text: string, limits?: Parameters<typeof parseReportText>[1]) =>
    expect(parseReportBytes(u8(text), limits)).toEqual(whole(text, limits));
  // Above the byte threshold, with multi-byte characters all through the rows (several JSON.parse batches).
  const large = (extra: (k: number) => Record<string, unknown> = () => ({})) =>
    report([policy(Array.from({ length: 1500 }, (_, k) => detail(k, { 'failure-reason-code': `é😀 ${k} ${'x'.repeat(60)}`, ...extra(k) })), 1500 * 1501)]);

  it('a large report with multi-byte characters: every row, in order, the same result', () => {
    const text = large();
    expect(u8(text).length).toBeGreaterThan(SPLIT_FROM_BYTES);
    const result = parseReportBytes(u8(text));
    expect(result.ok && result.report.policies[0].failureDetails.map((d) => d.failureReasonCode)).toEqual(
      Array.from({ length: 1500 }, (_, k) => `é😀 ${k} ${'x'.repeat(60)}`),
    );
    expectBytesSameAsWhole(text);
  });

  it.each([
    ['a BOM', (t: string) => '\ufeff' + t],
    ['a syntax error in the last row', (t: string) => t.replace(/"failed-session-count":1500/, '"failed-session-count":1500,')],
    ['a syntax error after the rows', (t: string) => t.slice(0, -1) + ',}'],
    ['trailing text', (t: string) => t + ' x'],
    ['a rejected row far in', (t: string) => t.replace('"failed-session-count":1400', '"failed-session-count":-1')],
    ['nesting past the limit in a row', (t: string) => t.replace('"failed-session-count":700', `"extra":${'['.repeat(70)}${']'.repeat(70)},"failed-session-count":700`)],
    ['nesting past the limit outside the rows', (t: string) => t.replace('"report-id"', `"extra":${'[{"a":'.repeat(35)}1${'}]'.repeat(35)},"report-id"`)],
    ['nesting past the limit in a malformed text', (t: string) => t.replace('"report-id"', `"extra":${'['.repeat(70)},"report-id"`)],
  ])('%s', (_name, edit) => {
    expectBytesSameAsWhole(edit(large()));
  });

  // The split measures the depth as it walks (no separate scan of the bytes): a report nests 5 deep (policies,
  // an entry, its policy, policy-string), a row 5 deep (policies, an entry, failure-details, the row).
  it.each([3, 4, 5, 6])('the depth limit at %i decides as it does for the whole text (RPT-JSON limits)', (maxJsonDepth) => {
    const deepRow = large().replace('"failed-session-count":700', '"extra":[[1]],"failed-session-count":700');
    for (const text of [large(), deepRow]) expectBytesSameAsWhole(text, { maxJsonDepth });
    expect(parseReportBytes(u8(large()), { maxJsonDepth }).ok).toBe(maxJsonDepth >= 5);
    expect(parseReportBytes(u8(deepRow), { maxJsonDepth }).ok).toBe(maxJsonDepth >= 7);
  });

  it('rows warned about one by one keep their paths and counts', () => {
    expectBytesSameAsWhole(large((k) => (k % 3 ? {} : { 'sending-mta-ip': `bad ${k}`, unknown: k })));
  });

  it('a small report goes through one JSON.parse of its text, with the same result', () => {
    const text = report([policy([detail(0), detail(1)])]);
    expect(u8(text).length).toBeLessThan(SPLIT_FROM_BYTES);
    expectBytesSameAsWhole(text);
    expectBytesSameAsWhole('\ufeff' + text);
  });

  it.each([...jsonFiles(FIXTURES), ...jsonFiles(SAMPLES)])('%s', (file) => {
    const bytes = readFileSync(file);
    expect(parseReportBytes(bytes)).toEqual(whole(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)));
  });
});
