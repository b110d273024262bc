import type { IngestOutcome } from '@app/ingest';

/** Injection token: told about every stored message, so the daily loop can refresh advice for the domains concerned. */
export const INGEST_LISTENER = Symbol('INGEST_LISTENER');

export interface IngestListener {
  ingested(outcome: IngestOutcome): void;
}
