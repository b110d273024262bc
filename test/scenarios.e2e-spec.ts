import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Runs every rollout scenario in ../shared/scenarios through the built CLI and checks the advice
// against the scenario's `expect` exactly as shared/scenarios/FORMAT.md defines it.

const ROOT = resolve(import.meta.dirname, '..');
const SCENARIOS = resolve(ROOT, '../shared/scenarios');
const CLI = join(ROOT, 'bin/sts-pilot.js');

interface ScenarioExpect {
  state?: string;
  verdict?: string;
  notVerdict?: string[];
  blockers?: string[];
  mentions?: string[];
  proposed?: null | {
    mode?: string;
    mx?: string[];
    maxAgeAtLeast?: number;
    maxAgeAtMost?: number;
    newId?: boolean;
  };
}

interface Scenario {
  published: { txt: string }[];
  expect: ScenarioExpect;
}

interface AdviceJson {
  state: string;
  verdict: string;
  blockers: { code: string; message: string; evidence: Record<string, unknown> }[];
  proposed: null | { policy: string; txt: string; mode: string; mx: string[]; maxAge: number; id: string; tlsrptTxt: string | null };
  removeAfter?: string;
}

function runAdvise(file: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, 'advise', '--scenario', file, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function publishedIds(scenario: Scenario): string[] {
  return scenario.published.flatMap((p) => [...p.txt.matchAll(/id=([A-Za-z0-9]+)/g)].map((m) => m[1]));
}

function checkExpect(advice: AdviceJson, scenario: Scenario): void {
  const want = scenario.expect;
  if (want.state !== undefined) expect(advice.state).toBe(want.state);
  if (want.verdict !== undefined) expect(advice.verdict).toBe(want.verdict);
  for (const verdict of want.notVerdict ?? []) expect(advice.verdict).not.toBe(verdict);

  const codes = advice.blockers.map((b) => b.code);
  if (want.blockers !== undefined) {
    if (want.blockers.length === 0) expect(codes).toEqual([]);
    for (const code of want.blockers) expect(codes).toContain(code);
  }
  const messages = advice.blockers.map((b) => b.message);
  for (const text of want.mentions ?? []) {
    expect(messages.some((m) => m.includes(text)), `a blocker message mentions ${text}: ${JSON.stringify(messages)}`).toBe(true);
  }

  if (want.proposed === null) expect(advice.proposed).toBeNull();
  if (want.proposed) {
    const proposed = advice.proposed;
    expect(proposed).not.toBeNull();
    if (proposed === null) return;
    if (want.proposed.mode !== undefined) expect(proposed.mode).toBe(want.proposed.mode);
    if (want.proposed.mx !== undefined) expect([...proposed.mx].sort()).toEqual([...want.proposed.mx].sort());
    if (want.proposed.maxAgeAtLeast !== undefined) expect(proposed.maxAge).toBeGreaterThanOrEqual(want.proposed.maxAgeAtLeast);
    if (want.proposed.maxAgeAtMost !== undefined) expect(proposed.maxAge).toBeLessThanOrEqual(want.proposed.maxAgeAtMost);
    if (want.proposed.newId) {
      expect(proposed.id).toMatch(/^[A-Za-z0-9]{1,32}$/);
      expect(publishedIds(scenario)).not.toContain(proposed.id);
      expect(proposed.txt).toContain(proposed.id);
    }
  }
}

const files = existsSync(SCENARIOS) ? readdirSync(SCENARIOS).filter((f) => f.endsWith('.json')).sort() : [];

describe.skipIf(!existsSync(SCENARIOS))('rollout scenarios: sts-pilot advise --scenario <file> --json', () => {
  it('the scenario folder holds scenarios', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', (name) => {
    const file = join(SCENARIOS, name);
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
    const run = runAdvise(file);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const advice = JSON.parse(lines[0]) as AdviceJson;

    expect(['none', 'testing', 'enforce', 'retiring']).toContain(advice.state);
    if (advice.verdict === 'retire-wait' || advice.verdict === 'safe-to-remove') {
      expect(advice.removeAfter).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    }
    checkExpect(advice, scenario);
  });
});
