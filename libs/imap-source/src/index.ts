export { backoffDelay } from './backoff.js';
export { openImapClient, type ConnectOptions } from './imap-client.js';
export { classifyImapError, ImapSourceError, type ImapErrorCode } from './imap-errors.js';
export { ImapSourceRunner, type RunnerDeps, type RunnerLog, type RunnerState, type SourceStatus } from './source-runner.js';
export { pgSourceStateStore, tryLockSource, type SourceLock, type SourcePosition, type SourceStateStore } from './source-state.js';
export {
  emptyCounts,
  NOT_A_REPORT_KEYWORD,
  PROCESSED_KEYWORD,
  syncFolder,
  type MessageDisposition,
  type SyncCounts,
  type SyncFolderDeps,
  type SyncProgress,
  type SyncResult,
} from './sync-folder.js';
export { syncSource, type SyncSourceDeps } from './sync-source.js';
export {
  createTokenProvider,
  GOOGLE_TOKEN_URL,
  MICROSOFT_IMAP_SCOPE,
  microsoftTokenUrl,
  REFRESH_MARGIN_MS,
  tokenRequest,
  type TokenProvider,
  type TokenProviderDeps,
} from './token-provider.js';
