import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { WebhookTarget } from '@app/alerts';
import { configSchema, type RawConfig } from './config.schema.js';
import { parseImapSources, type ImapSourceConfig } from './imap-sources.schema.js';

export interface AppConfig {
  database: { url: string | null; embeddedPort: number };
  dataDir: string;
  smtp: {
    host: string;
    port: number;
    hostname: string;
    recipientDomains: string[];
    recipientLocalParts: string[];
    tlsCertFile: string | null;
    tlsKeyFile: string | null;
    maxClients: number;
    maxClientsPerIp: number;
    maxRecipients: number;
    /** New connections one client address may open in any 60-second window. */
    maxConnectionsPerMinutePerIp: number;
    socketTimeoutMs: number;
    /** Whole DATA phase, however steadily the bytes trickle in. */
    dataTimeoutMs: number;
  };
  http: { host: string; port: number };
  limits: {
    maxMessageBytes: number;
    maxDecompressedBytes: number;
    maxJsonDepth: number;
    maxPolicies: number;
    maxFailureDetails: number;
    maxMimeParts: number;
  };
  evidence: { requireDkim: boolean };
  dnsServers: string[];
  retention: { rawDays: number; failureDays: number };
  /** Off only in tests, which call SchedulerService.tick() themselves. */
  schedulerEnabled: boolean;
  /** Live MTA-STS checks (libs/sts-checker). */
  check: {
    dnsServers: string[];
    smtpPort: number;
    httpsPort: number;
    caFile: string | null;
    allowPrivateAddresses: boolean;
    /** Per DNS query, policy fetch and MX probe; null: the checker's defaults. */
    timeoutMs: number | null;
  };
  rollout: {
    /** ROLL-2: hours a pending transition may wait for its new TXT id. */
    transitionDeadlineHours: number;
    /** rua of proposed TLS-RPT records: `mailto:tlsrpt@<first SMTP_RECIPIENT_DOMAINS>` unless set. */
    reportAddress: string;
  };
  /** Express `trust proxy` list (addresses, CIDRs, `loopback`); empty: trust no proxy. */
  trustedProxies: string[];
  /** Mailboxes the server pulls reports from (IMAP_SOURCES and IMAP_SOURCES_FILE together). */
  imapSources: ImapSourceConfig[];
  /** `GET /metrics` needs a read token when true. */
  metrics: { requireToken: boolean };
  /** Requests per client address and window on /api (health exempt). */
  apiRateLimit: { limit: number; windowMs: number };
  /** The operator's daily loop: scheduled checks, advice recompute after ingest, alerts and the digest. */
  dailyLoop: { checkIntervalMinutes: number; adviceDebounceMs: number };
  alerts: {
    webhooks: WebhookTarget[];
    mailTo: string[];
    mailFrom: string;
    smtpUrl: string | null;
    suppressHours: number;
    noReportDays: number;
    publicBaseUrl: string;
  };
  logLevel: RawConfig['LOG_LEVEL'];
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; error: string };

/** Validates the environment once. The error is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    const got = env[name];
    return { ok: false, error: `${name}: ${issue.message}${got !== undefined ? ` (got "${got}")` : ''}` };
  }
  const c = parsed.data;
  const imap = loadImapSources(c.IMAP_SOURCES, c.IMAP_SOURCES_FILE);
  if (!imap.ok) return imap;
  return {
    ok: true,
    config: {
      database: { url: c.DATABASE_URL ?? null, embeddedPort: c.EMBEDDED_PG_PORT },
      dataDir: c.DATA_DIR,
      smtp: {
        host: c.SMTP_HOST,
        port: c.SMTP_PORT,
        hostname: c.SMTP_HOSTNAME ?? hostname(),
        recipientDomains: c.SMTP_RECIPIENT_DOMAINS,
        recipientLocalParts: c.SMTP_RECIPIENT_LOCAL_PARTS,
        tlsCertFile: c.SMTP_TLS_CERT_FILE ?? null,
        tlsKeyFile: c.SMTP_TLS_KEY_FILE ?? null,
        maxClients: c.SMTP_MAX_CLIENTS,
        maxClientsPerIp: c.SMTP_MAX_CLIENTS_PER_IP,
        maxRecipients: c.SMTP_MAX_RECIPIENTS,
        maxConnectionsPerMinutePerIp: c.SMTP_MAX_CONNECTIONS_PER_MINUTE_PER_IP,
        socketTimeoutMs: c.SMTP_SOCKET_TIMEOUT_MS,
        dataTimeoutMs: c.SMTP_DATA_TIMEOUT_MS,
      },
      http: { host: c.HTTP_HOST, port: c.HTTP_PORT },
      limits: {
        maxMessageBytes: c.MAX_MESSAGE_BYTES,
        maxDecompressedBytes: c.MAX_DECOMPRESSED_BYTES,
        maxJsonDepth: c.MAX_JSON_DEPTH,
        maxPolicies: c.MAX_POLICIES,
        maxFailureDetails: c.MAX_FAILURE_DETAILS,
        maxMimeParts: c.MAX_MIME_PARTS,
      },
      evidence: { requireDkim: c.REQUIRE_DKIM_FOR_EVIDENCE },
      dnsServers: c.DNS_SERVERS,
      retention: { rawDays: c.RETENTION_RAW_DAYS, failureDays: c.RETENTION_FAILURE_DAYS },
      schedulerEnabled: c.SCHEDULER_ENABLED,
      check: {
        dnsServers: c.CHECK_DNS_SERVERS,
        smtpPort: c.CHECK_SMTP_PORT,
        httpsPort: c.CHECK_HTTPS_PORT,
        caFile: c.CHECK_CA_FILE ?? null,
        allowPrivateAddresses: c.CHECK_ALLOW_PRIVATE_ADDRESSES,
        timeoutMs: c.CHECK_TIMEOUT_MS ?? null,
      },
      rollout: {
        transitionDeadlineHours: c.TRANSITION_DEADLINE_HOURS,
        reportAddress: c.ROLLOUT_REPORT_ADDRESS ?? `mailto:tlsrpt@${c.SMTP_RECIPIENT_DOMAINS[0]}`,
      },
      trustedProxies: c.TRUSTED_PROXIES,
      imapSources: imap.sources,
      metrics: { requireToken: c.METRICS_REQUIRE_TOKEN },
      apiRateLimit: { limit: c.API_RATE_LIMIT, windowMs: c.API_RATE_LIMIT_WINDOW_MS },
      logLevel: c.LOG_LEVEL,
      dailyLoop: { checkIntervalMinutes: c.CHECK_INTERVAL_MINUTES, adviceDebounceMs: c.ADVICE_DEBOUNCE_MS },
      alerts: {
        webhooks: c.ALERT_WEBHOOK_URLS,
        mailTo: c.ALERT_MAIL_TO,
        mailFrom: c.ALERT_MAIL_FROM ?? `sts-pilot@${c.SMTP_HOSTNAME ?? hostname()}`,
        smtpUrl: c.ALERT_SMTP_URL ?? null,
        suppressHours: c.ALERT_SUPPRESS_HOURS,
        noReportDays: c.ALERT_NO_REPORT_DAYS,
        publicBaseUrl: c.PUBLIC_BASE_URL ?? `http://${c.SMTP_HOSTNAME ?? hostname()}:${c.HTTP_PORT}`,
      },
    },
  };
}

function loadImapSources(inline: string | undefined, file: string | undefined): { ok: true; sources: ImapSourceConfig[] } | { ok: false; error: string } {
  const sources: ImapSourceConfig[] = [];
  const inputs: Array<[string, () => string]> = [];
  if (inline) inputs.push(['IMAP_SOURCES', () => inline]);
  if (file) inputs.push(['IMAP_SOURCES_FILE', () => readFileSync(file, 'utf8')]);
  for (const [name, read] of inputs) {
    let text: string;
    try {
      text = read();
    } catch (err) {
      return { ok: false, error: `${name}: cannot read "${file}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    }
    const parsed = parseImapSources(text);
    if (!parsed.ok) return { ok: false, error: `${name}: ${parsed.error}` };
    sources.push(...parsed.sources);
  }
  const names = sources.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) return { ok: false, error: `IMAP_SOURCES_FILE: source "${dup}" is also defined in IMAP_SOURCES` };
  return { ok: true, sources };
}
