import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger } from 'pino';

/** Credentials are never logged, even if a future log call passes them by mistake. */
const REDACTED_PATHS = ['token', 'password', 'authorization', '*.authorization', 'databaseUrl'];

/**
 * Lines go to stdout in batches of about 4 KiB, and at least every 250 ms: a busy SMTP listener writes one syscall
 * per ~25 messages instead of one per message. pino flushes what is left when the process exits.
 */
export function createLogger(
  level: string,
  destination: DestinationStream = pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 }),
): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

/** Routes Nest's own messages into the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  /** Nest's start-up chatter (modules loaded, routes mapped) is debug detail, not operator news. */
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
