// Cross-checks against the shared scenarios and real report samples in ../shared (skipped when that folder is absent).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mxCovered } from './mx-pattern.js';
import { parsePolicy, parsePolicyLines } from './policy-parser.js';
import { policiesEqual } from './policy-serializer.js';
import { generateRecords } from './record-generator.js';
import { parseStsTxt, selectStsTxt } from './sts-txt-parser.js';
import { selectTlsRptTxt } from './tlsrpt-txt-parser.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SHARED = resolve(REPO_ROOT, '../shared');
const SCENARIOS = join(SHARED, 'scenarios');
const SAMPLES = join(SHARED, 'samples');

interface Scenario {
  name: string;
  now: string;
  domain: string;
  published: Array<{ at: string; txt: string; policy: string }>;
  observed: { mx: string[]; mtaStsTxt: string[]; tlsrptTxt: string[]; policyFetch: { status: number; body: string } };
  reports: Array<{ policies?: Array<{ policy: { 'policy-type': string; 'policy-string'?: string[] } }> }>;
  expect: {
    state: string;
    blockers?: string[];
    mentions?: string[];
    proposed?: { mode?: string; mx?: string[]; maxAgeAtMost?: number; maxAgeAtLeast?: number } | null;
    verdict: string;
  };
}

function loadScenarios(): Scenario[] {
  if (!existsSync(SCENARIOS)) return [];
  return readdirSync(SCENARIOS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(SCENARIOS, f), 'utf8')) as Scenario);
}

const scenarios = loadScenarios();
const STATE_BY_MODE: Record<string, string> = { testing: 'testing', enforce: 'enforce', none: 'retiring' };

describe.runIf(existsSync(SCENARIOS))('shared rollout scenarios', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('STS-TXT-7 / RPT-TXT-1: live TXT records of %s agree with the expected blockers', (_n, s) => {
    const sts = selectStsTxt(s.observed.mtaStsTxt);
    if (s.expect.state === 'none') expect(sts.value).toBeNull();
    if (s.expect.blockers) {
      expect(sts.value === null).toBe(s.expect.blockers.includes('TXT_INVALID'));
      expect(selectTlsRptTxt(s.observed.tlsrptTxt).value === null).toBe(s.expect.blockers.includes('TLSRPT_MISSING'));
    }
  });

  it.each(scenarios.filter((s) => s.observed.policyFetch.status === 200).map((s) => [s.name, s] as const))(
    'STS-POL-*: the served policy of %s parses and gives the expected state',
    (_n, s) => {
      const p = parsePolicy(s.observed.policyFetch.body);
      expect(p.value).not.toBeNull();
      expect(STATE_BY_MODE[p.value!.mode]).toBe(s.expect.state);
      expect(s.expect.blockers?.includes('POLICY_INVALID') ?? false).toBe(false);
    },
  );

  it.each(scenarios.filter((s) => s.observed.policyFetch.status === 200 && s.expect.blockers).map((s) => [s.name, s] as const))(
    'STS-POL-13: MX coverage of %s agrees with MX_NOT_COVERED',
    (_n, s) => {
      const policy = parsePolicy(s.observed.policyFetch.body).value!;
      const uncovered = s.observed.mx.filter((h) => !mxCovered(policy.mx, h));
      expect(uncovered.length > 0).toBe(s.expect.blockers!.includes('MX_NOT_COVERED'));
      for (const host of uncovered) expect(s.expect.mentions).toContain(host);
    },
  );

  it.each(scenarios.filter((s) => s.expect.blockers && s.published.length > 0).map((s) => [s.name, s] as const))(
    'CHK-1: a changed body under the same id in %s agrees with POLICY_ID_NOT_BUMPED',
    (_n, s) => {
      const seen = [...s.published.map((p) => ({ txt: p.txt, body: p.policy }))];
      if (s.observed.policyFetch.status === 200) seen.push({ txt: s.observed.mtaStsTxt[0], body: s.observed.policyFetch.body });
      let notBumped = false;
      for (let i = 1; i < seen.length; i++) {
        const sameId = parseStsTxt(seen[i].txt).value?.id === parseStsTxt(seen[i - 1].txt).value?.id;
        const a = parsePolicy(seen[i - 1].body).value!;
        const b = parsePolicy(seen[i].body).value!;
        if (sameId && !policiesEqual(a, b)) notBumped = true;
      }
      expect(notBumped).toBe(s.expect.blockers!.includes('POLICY_ID_NOT_BUMPED'));
    },
  );

  it.each(scenarios.map((s) => [s.name, s] as const))('RPT-DEV-15: every sts policy-string in the reports of %s parses leniently', (_n, s) => {
    for (const report of s.reports) {
      for (const entry of report.policies ?? []) {
        if (entry.policy['policy-type'] !== 'sts' || !entry.policy['policy-string']) continue;
        expect(parsePolicyLines(entry.policy['policy-string']).value).not.toBeNull();
      }
    }
  });

  it.each(
    scenarios
      .filter((s) => s.expect.proposed?.mode && s.expect.proposed.mx && ['start-testing', 'ready-to-enforce', 'enforced-ok'].includes(s.expect.verdict))
      .map((s) => [s.name, s] as const),
  )('ROLL-8/9: the generator proposes what %s expects', (_n, s) => {
    const stage = s.expect.verdict === 'start-testing' ? 'testing' : s.expect.verdict === 'ready-to-enforce' ? 'enforce-first' : 'enforce-steady';
    const usedIds = s.published.map((p) => parseStsTxt(p.txt).value!.id);
    const r = generateRecords({ domain: s.domain, mx: s.expect.proposed!.mx!, stage, usedIds, now: new Date(s.now), reportAddress: 'tlsrpt@sts.example.net' });
    if (!r.ok) throw new Error(JSON.stringify(r.findings));
    expect(r.value.policy.mode).toBe(s.expect.proposed!.mode);
    expect(r.value.policy.mx).toEqual(s.expect.proposed!.mx);
    if (s.expect.proposed!.maxAgeAtMost !== undefined) expect(r.value.policy.maxAge).toBeLessThanOrEqual(s.expect.proposed!.maxAgeAtMost);
    if (s.expect.proposed!.maxAgeAtLeast !== undefined) expect(r.value.policy.maxAge).toBeGreaterThanOrEqual(s.expect.proposed!.maxAgeAtLeast);
    expect(usedIds).not.toContain(r.value.id);
  });
});

describe.runIf(existsSync(SAMPLES))('shared real report samples', () => {
  const files = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort() : [];

  it('RPT-DEV-15: every sts policy-string in the JSON samples parses to a valid policy', () => {
    let parsed = 0;
    for (const f of files) {
      const report = JSON.parse(readFileSync(join(SAMPLES, f), 'utf8')) as Scenario['reports'][number];
      for (const entry of report.policies ?? []) {
        if (entry.policy['policy-type'] !== 'sts' || !entry.policy['policy-string']) continue;
        const r = parsePolicyLines(entry.policy['policy-string']);
        expect(r.value, f).not.toBeNull();
        parsed++;
      }
    }
    expect(parsed).toBeGreaterThanOrEqual(5);
  });
});
