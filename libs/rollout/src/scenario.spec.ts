import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy, selectStsTxt, selectTlsRptTxt } from '@app/mta-sts';
import { adviseFromScenario } from './scenario.js';

const SCENARIOS = join(import.meta.dirname, '../../../../shared/scenarios');

function minimal(overrides: Record<string, unknown> = {}) {
  return {
    now: '2026-01-05T00:00:00Z',
    domain: 'example.com',
    published: [],
    observed: {
      mx: ['mx1.example.com'],
      mtaStsTxt: [],
      tlsrptTxt: [],
      policyFetch: { status: 404, contentType: 'text/html', redirected: false, certValid: true, body: '' },
      mxProbes: [{ host: 'mx1.example.com', starttls: true, certValid: true, certNames: ['mx1.example.com'], error: null }],
    },
    reports: [],
    expect: { verdict: 'ignored by the engine' },
    ...overrides,
  };
}

describe('adviseFromScenario', () => {
  it('runs the input fields and ignores expect', () => {
    const result = adviseFromScenario(minimal());
    expect(result.ok && result.advice.verdict).toBe('start-testing');
    expect(result.ok && result.advice.proposed?.mx).toEqual(['mx1.example.com']);
  });

  it('a malformed scenario is a result with issues, not a throw', () => {
    const result = adviseFromScenario(minimal({ now: '2026-01-05 00:00', published: 'nope' }));
    expect(result).toEqual({
      ok: false,
      code: 'SCENARIO_INVALID',
      issues: [expect.stringMatching(/^now: /), expect.stringMatching(/^published: /)],
    });
    expect(adviseFromScenario(null)).toMatchObject({ ok: false, code: 'SCENARIO_INVALID' });
  });

  it('a report that fails to parse is skipped and never counts as evidence', () => {
    const bad = { 'organization-name': 'Broken', 'report-id': 'x', 'date-range': { 'start-datetime': 'yesterday', 'end-datetime': 'today' }, policies: [] };
    const result = adviseFromScenario(minimal({ reports: [bad] }));
    expect(result.ok && result.skippedReports).toEqual([{ index: 0, code: 'BAD_DATE', reason: expect.stringContaining('start-datetime') }]);
  });

  const scenario02 = join(SCENARIOS, '02-clean-testing-ready.json');
  it.skipIf(!existsSync(scenario02))('RPT-DEV-1: zone-less report timestamps are read as UTC through the report parser', () => {
    const file = scenario02;
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as { reports: { 'date-range': Record<string, string> }[] };
    for (const r of scenario.reports) {
      r['date-range']['start-datetime'] = r['date-range']['start-datetime'].replace(/Z$/, '');
      r['date-range']['end-datetime'] = r['date-range']['end-datetime'].replace(/Z$/, '');
    }
    const result = adviseFromScenario(scenario);
    expect(result.ok && result.advice.verdict).toBe('ready-to-enforce');
    expect(result.ok && result.skippedReports).toEqual([]);
  });

  describe.skipIf(!existsSync(SCENARIOS))('every shared scenario runs in-process', () => {
    const files = existsSync(SCENARIOS) ? readdirSync(SCENARIOS).filter((f) => f.endsWith('.json')).sort() : [];
    it.each(files)('%s: state and verdict as expected', (file) => {
      const scenario = JSON.parse(readFileSync(join(SCENARIOS, file), 'utf8')) as { expect: { state?: string; verdict?: string } };
      const result = adviseFromScenario(scenario);
      if (!result.ok) throw new Error(result.issues.join('; '));
      if (scenario.expect.state !== undefined) expect(result.advice.state).toBe(scenario.expect.state);
      if (scenario.expect.verdict !== undefined) expect(result.advice.verdict).toBe(scenario.expect.verdict);
    });

    it.each(files)('%s: every proposed record parses strictly and matches the proposal fields', (file) => {
      const result = adviseFromScenario(JSON.parse(readFileSync(join(SCENARIOS, file), 'utf8')));
      if (!result.ok) throw new Error(result.issues.join('; '));
      const p = result.advice.proposed;
      if (p === null) return expect(result.advice.proposed).toBeNull();
      expect(parsePolicy(p.policy).value).toEqual({ version: 'STSv1', mode: p.mode, mx: p.mx, maxAge: p.maxAge, extensions: {} });
      expect(selectStsTxt([p.txt]).value?.id).toBe(p.id);
      if (p.tlsrptTxt !== null) expect(selectTlsRptTxt([p.tlsrptTxt]).value?.rua).toEqual(['mailto:tlsrpt@localhost']);
    });
  });
});
