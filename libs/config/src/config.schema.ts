import { parseWebhookTargets } from '@app/alerts';
import { z } from 'zod';

const MiB = 1024 * 1024;

/** A positive integer limit: `0`, `NaN`, negatives and words never silently switch a limit off. */
const limit = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const commaList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    );

/** Every environment variable the service reads, with its default. README's configuration table mirrors this. */
export const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_PG_PORT: port(54329),
  SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  SMTP_PORT: port(2525),
  SMTP_HOSTNAME: z.string().min(1).optional(),
  SMTP_RECIPIENT_DOMAINS: commaList('localhost').refine((l) => l.length > 0, 'must name at least one domain'),
  SMTP_RECIPIENT_LOCAL_PARTS: commaList(''),
  SMTP_TLS_CERT_FILE: z.string().min(1).optional(),
  SMTP_TLS_KEY_FILE: z.string().min(1).optional(),
  SMTP_MAX_CLIENTS: limit(200),
  SMTP_MAX_CLIENTS_PER_IP: limit(20),
  SMTP_MAX_RECIPIENTS: limit(10),
  SMTP_MAX_CONNECTIONS_PER_MINUTE_PER_IP: limit(120),
  SMTP_SOCKET_TIMEOUT_MS: limit(60_000),
  SMTP_DATA_TIMEOUT_MS: limit(600_000),
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  HTTP_PORT: port(3000),
  MAX_MESSAGE_BYTES: limit(15 * MiB),
  MAX_DECOMPRESSED_BYTES: limit(20 * MiB),
  MAX_JSON_DEPTH: limit(64),
  MAX_POLICIES: limit(1000),
  MAX_FAILURE_DETAILS: limit(100_000),
  MAX_MIME_PARTS: limit(100),
  REQUIRE_DKIM_FOR_EVIDENCE: bool(true),
  DNS_SERVERS: commaList(''),
  CHECK_DNS_SERVERS: commaList(''),
  CHECK_SMTP_PORT: port(25),
  CHECK_HTTPS_PORT: port(443),
  CHECK_CA_FILE: z.string().min(1).optional(),
  CHECK_ALLOW_PRIVATE_ADDRESSES: bool(false),
  CHECK_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  TRANSITION_DEADLINE_HOURS: limit(48),
  ROLLOUT_REPORT_ADDRESS: z.string().min(1).optional(),
  TRUSTED_PROXIES: commaList(''),
  /** JSON list of IMAP mailbox sources (see imap-sources.schema.ts); merged with IMAP_SOURCES_FILE. */
  IMAP_SOURCES: z.string().min(1).optional(),
  /** Path of a JSON file holding the same list, so passwords need not sit in the environment. */
  IMAP_SOURCES_FILE: z.string().min(1).optional(),
  SCHEDULER_ENABLED: bool(true),
  /** Never shorter than the 30-day floor: the rollout engine's evidence windows (14-day dwell, 14 clean days) fit inside. */
  RETENTION_RAW_DAYS: z.coerce.number().int().min(30, 'must be at least 30 (days of evidence the rollout engine reads)').default(180),
  RETENTION_FAILURE_DAYS: z.coerce.number().int().min(30, 'must be at least 30 (days of evidence the rollout engine reads)').default(400),
  METRICS_REQUIRE_TOKEN: bool(false),
  /** API rate limit: at most API_RATE_LIMIT requests per client address in any API_RATE_LIMIT_WINDOW_MS (health, metrics exempt). */
  API_RATE_LIMIT: limit(3000),
  API_RATE_LIMIT_WINDOW_MS: limit(60_000),
  /** Daily loop: live check of every watched domain each CHECK_INTERVAL_MINUTES. */
  CHECK_INTERVAL_MINUTES: limit(360),
  /** Advice is recomputed this long after the last report ingested for a watched domain (a burst costs one run). */
  ADVICE_DEBOUNCE_MS: limit(10_000),
  /** Comma list of `json:<url>`, `slack:<url>` or bare URLs (Slack host or a /hooks/ path: `{text}` body, else JSON). */
  ALERT_WEBHOOK_URLS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const parsed = parseWebhookTargets(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed.targets;
    }),
  ALERT_MAIL_TO: commaList(''),
  ALERT_MAIL_FROM: z.string().min(3).optional(),
  ALERT_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  ALERT_SUPPRESS_HOURS: limit(24),
  ALERT_NO_REPORT_DAYS: limit(3),
  /** Base of the dashboard links in alerts and digests; default http://<SMTP_HOSTNAME or host>:<HTTP_PORT>. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.infer<typeof configSchema>;
