// Thresholds of the rollout gates (spec notes §8, FORMAT.md "Defaults the scenarios assume").

export interface RolloutSettings {
  /** ROLL-5: minimum days the current id must be live in testing (also at least its max_age). */
  minTestingDays: number;
  /** Failed share of sessions tolerated, overall and per organization (ROLL-6.4; 0.001 = 0.1 %). */
  failureCeiling: number;
  /** Per-organization failure window, in days. */
  perOrgWindowDays: number;
  /** ROLL-8: max_age of the first enforce policy. */
  firstEnforceMaxAge: number;
  /** ROLL-9: max_age proposed once enforce has been clean for `steadyAfterCleanDays`. */
  steadyEnforceMaxAge: number;
  steadyAfterCleanDays: number;
  /** max_age of proposed testing policies (start, rollback). */
  testingMaxAge: number;
  /** ROLL-15 spirit: in enforce, no current-policy report for this many days is NO_REPORTS. */
  enforceSilenceDays: number;
  /** rua target of a proposed TLS-RPT record. */
  reportAddress: string;
  /** ROLL-2: how long a body served ahead of its new TXT id is "pending" rather than "id not bumped". */
  pendingDeadlineHours: number;
}

export const DEFAULT_ROLLOUT_SETTINGS: Readonly<RolloutSettings> = Object.freeze({
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

/** STS-POL-14 / ROLL-3 ceiling for any generated max_age. */
export const MAX_POLICY_MAX_AGE = 31557600;

export type RolloutSettingsErrorCode = 'SETTING_INVALID';

/** A bad setting is a configuration bug: it must stop the caller, never silently turn a gate off. */
export class RolloutSettingsError extends Error {
  readonly code: RolloutSettingsErrorCode = 'SETTING_INVALID';

  constructor(
    readonly setting: string,
    detail: string,
  ) {
    super(`rollout setting ${setting} ${detail}`);
    this.name = 'RolloutSettingsError';
  }
}

const POSITIVE_NUMBERS = [
  'minTestingDays',
  'perOrgWindowDays',
  'steadyAfterCleanDays',
  'enforceSilenceDays',
  'pendingDeadlineHours',
] as const;
const MAX_AGES = ['firstEnforceMaxAge', 'steadyEnforceMaxAge', 'testingMaxAge'] as const;
// RPT-TXT-2/3: one mailto: or https: URI, without the characters that would need percent-encoding.
const RUA_URI = /^(mailto:[^\s,;!@]+@[^\s,;!@]+|https:\/\/[^\s,;!]+)$/;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Defaults merged with `overrides`; throws RolloutSettingsError on any value that is not usable. */
export function resolveRolloutSettings(overrides: Partial<RolloutSettings> = {}): RolloutSettings {
  // A misspelt key would otherwise leave the default in force without anyone noticing.
  for (const key of Object.keys(overrides)) {
    if (!Object.hasOwn(DEFAULT_ROLLOUT_SETTINGS, key)) throw new RolloutSettingsError(key, 'is not a rollout setting');
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const settings: RolloutSettings = { ...DEFAULT_ROLLOUT_SETTINGS, ...defined };

  for (const key of POSITIVE_NUMBERS) {
    const value: unknown = settings[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RolloutSettingsError(key, `must be a positive finite number, got ${describe(value)}`);
    }
  }
  for (const key of MAX_AGES) {
    const value: unknown = settings[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > MAX_POLICY_MAX_AGE) {
      throw new RolloutSettingsError(key, `must be an integer from 1 to ${MAX_POLICY_MAX_AGE} seconds (ROLL-3), got ${describe(value)}`);
    }
  }
  const ceiling: unknown = settings.failureCeiling;
  // 0 is allowed: it tightens the gate to "no failed session at all"; 1 or more would switch it off.
  if (typeof ceiling !== 'number' || !Number.isFinite(ceiling) || ceiling < 0 || ceiling >= 1) {
    throw new RolloutSettingsError('failureCeiling', `must be a fraction from 0 up to (not including) 1, got ${describe(ceiling)}`);
  }
  if (settings.steadyEnforceMaxAge < settings.firstEnforceMaxAge) {
    throw new RolloutSettingsError(
      'steadyEnforceMaxAge',
      `(${settings.steadyEnforceMaxAge}) must not be below firstEnforceMaxAge (${settings.firstEnforceMaxAge})`,
    );
  }
  assertReportAddress(settings.reportAddress, 'reportAddress');
  return settings;
}

export function assertReportAddress(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || !RUA_URI.test(value)) {
    throw new RolloutSettingsError(name, `must be one mailto: or https: URI without ",", ";" or "!", got ${describe(value)}`);
  }
}
