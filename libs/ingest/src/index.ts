export { IngestPipeline, dryRunWriter, type MessageWriter } from './ingest-pipeline.js';
export * from './ingest.types.js';
export { QuarantineReparser, type ReparseOutcome } from './quarantine-reparse.js';
