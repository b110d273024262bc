export * from './entities/index.js';
export { migrations } from './migrations/index.js';
export { dataSourceOptions, migrateDatabase, openDatabase, runMigrationsLocked } from './data-source.js';
export { resolveDatabase, redactUrl, type DatabaseHandle } from './embedded-postgres.js';
export {
  ReportWriter,
  addToRollups,
  storeParsedReports,
  type DkimRecord,
  type ParsedReportInput,
  type QuarantineInput,
  type StoreMessageInput,
  type StoreMessageResult,
  type StoredParsedReport,
} from './report-writer.js';
export { utcDay } from './utc-day.js';
export { jsonBytesArePgSafe, markPgSafe, pgSafeStrings, pgSafeText } from './pg-safe-text.js';
export { rebuildRollups, type RebuildRange, type RebuildResult } from './rollup-rebuild.js';
export { TokenStore, hashToken, type CreatedToken } from './token-store.js';
export { applyRetention, claimJobSlot, finishJobSlot, type RetentionResult } from './job-runs.js';
export { atMostCeilingSql } from './session-sum-sql.js';
export { compactClosedMonths, LISTS_JSON_SQL, type CompactionResult } from './closed-month-compaction.js';
export { refreshStaleMonths, type RefreshResult } from './stale-month-refresh.js';
