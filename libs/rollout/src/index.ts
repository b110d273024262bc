export { advise, stateOf } from './advise.js';
export { formatAdviceText } from './advice-text.js';
export { describeNextStep } from './next-steps.js';
export { adviseFromScenario, type ScenarioAdvice, type SkippedReport } from './scenario.js';
export {
  DEFAULT_ROLLOUT_SETTINGS,
  MAX_POLICY_MAX_AGE,
  RolloutSettingsError,
  resolveRolloutSettings,
  type RolloutSettings,
  type RolloutSettingsErrorCode,
} from './rollout-settings.js';
export {
  BLOCKER_CODES,
  DEPLOYMENT_BLOCKERS,
  type Advice,
  type Blocker,
  type BlockerCode,
  type EvidenceValue,
  type MxProbe,
  type Observed,
  type PolicyFetch,
  type Proposal,
  type ProposedMode,
  type PublishedEntry,
  type RolloutInput,
  type RolloutState,
  type Verdict,
} from './rollout.types.js';
