export { IngestPipeline } from './ingest-pipeline.js';
export * from './ingest.types.js';
