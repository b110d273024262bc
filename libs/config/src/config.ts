import { hostname } from 'node:os';
import { configSchema, type RawConfig } from './config.schema.js';

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
      logLevel: c.LOG_LEVEL,
    },
  };
}
