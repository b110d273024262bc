import { describe, expect, it } from 'vitest';
import { advise } from './advise.js';
import { DEFAULT_ROLLOUT_SETTINGS, RolloutSettingsError, resolveRolloutSettings } from './rollout-settings.js';
import { testingInput } from './testing/rollout-builders.js';

describe('rollout settings', () => {
  it('FORMAT defaults: 14 testing days, 0.1 % ceiling, 7-day org window, 604800 then 1209600 max_age', () => {
    expect(resolveRolloutSettings()).toEqual({
      minTestingDays: 14,
      failureCeiling: 0.001,
      perOrgWindowDays: 7,
      firstEnforceMaxAge: 604800,
      steadyEnforceMaxAge: 1209600,
      steadyAfterCleanDays: 14,
      testingMaxAge: 86400,
      enforceSilenceDays: 7,
      reportAddress: 'mailto:tlsrpt@localhost',
      pendingDeadlineHours: 48,
    });
    expect(Object.isFrozen(DEFAULT_ROLLOUT_SETTINGS)).toBe(true);
  });

  it('overrides replace defaults and undefined keeps the default', () => {
    const s = resolveRolloutSettings({ minTestingDays: 21, failureCeiling: undefined });
    expect(s.minTestingDays).toBe(21);
    expect(s.failureCeiling).toBe(0.001);
  });

  it.each([
    ['minTestingDays', 0],
    ['minTestingDays', Number.NaN],
    ['minTestingDays', -1],
    ['perOrgWindowDays', 0],
    ['steadyAfterCleanDays', Number.POSITIVE_INFINITY],
    ['enforceSilenceDays', -7],
    ['pendingDeadlineHours', 0],
    ['failureCeiling', Number.NaN],
    ['failureCeiling', -0.001],
    ['failureCeiling', 1],
    ['firstEnforceMaxAge', 0],
    ['firstEnforceMaxAge', 604800.5],
    ['testingMaxAge', 31557601],
    ['steadyEnforceMaxAge', 86400],
  ] as const)('a bad %s (%s) throws SETTING_INVALID instead of turning the gate off', (key, value) => {
    const attempt = () => resolveRolloutSettings({ [key]: value });
    expect(attempt).toThrow(RolloutSettingsError);
    try {
      attempt();
    } catch (err) {
      expect((err as RolloutSettingsError).code).toBe('SETTING_INVALID');
      expect((err as RolloutSettingsError).setting).toBe(key);
    }
  });

  it('a string where a number belongs throws (no coercion of "14")', () => {
    expect(() => resolveRolloutSettings({ minTestingDays: '14' as unknown as number })).toThrow(/minTestingDays/);
  });

  it('a misspelt setting name throws instead of leaving the default in force', () => {
    expect(() => resolveRolloutSettings({ minTestingDay: 7 } as unknown as Partial<ReturnType<typeof resolveRolloutSettings>>)).toThrow(
      'rollout setting minTestingDay is not a rollout setting',
    );
  });

  it('failureCeiling 0 is allowed: it tightens the gate to zero failed sessions', () => {
    expect(resolveRolloutSettings({ failureCeiling: 0 }).failureCeiling).toBe(0);
  });

  it.each(['tlsrpt@example.com', 'http://r.example.net/v1', 'mailto:a@b.example!10m', 'mailto:a@b.example,mailto:c@d.example'])(
    'RPT-TXT-2/3: reportAddress %s is refused',
    (address) => {
      expect(() => resolveRolloutSettings({ reportAddress: address })).toThrow(RolloutSettingsError);
    },
  );

  it('advise() validates settings and the input reportAddress before judging anything', () => {
    expect(() => advise(testingInput('2026-02-04T00:00:00Z'), { minTestingDays: 0 })).toThrow(RolloutSettingsError);
    expect(() => advise({ ...testingInput('2026-02-04T00:00:00Z'), reportAddress: 'ftp://x.example' })).toThrow(/reportAddress/);
  });
});
