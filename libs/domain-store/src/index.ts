export { normalizeDomain, type DomainNameResult } from './domain-name.js';
export { bodyHash, livePolicyOf, type LivePolicy } from './live-policy.js';
export { DomainStore } from './domain-store.js';
export type * from './domain-store.types.js';
