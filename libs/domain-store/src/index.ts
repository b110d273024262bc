export { normalizeDomain, type DomainNameResult } from './domain-name.js';
export { bodyHash, livePolicyOf, type LivePolicy } from './live-policy.js';
export { DomainStore } from './domain-store.js';
export { DomainRollout, type Alert, type DomainRolloutDeps, type EvaluateResult, type EvaluatedAdvice } from './domain-rollout.js';
export { checkView, transitionView, type CheckView, type TransitionView } from './views.js';
export type * from './domain-store.types.js';
export { checkerOptionsFrom, rolloutSettingsFrom } from './checker-options.js';
