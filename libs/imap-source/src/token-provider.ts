import type { ImapOAuth2Config } from '@app/config';
import { ImapSourceError } from './imap-errors.js';

/** An OAuth2 access token for XOAUTH2, refreshed automatically: access tokens live about an hour. */
export interface TokenProvider {
  /** A token valid for at least `REFRESH_MARGIN_MS` more, fetched only when the cached one is near its end. */
  getToken(): Promise<string>;
  /** Forget the cached token (the server refused it); the next `getToken` asks the endpoint again. */
  invalidate(): void;
}

export interface TokenProviderDeps {
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

/** Refresh this long before `expires_in` runs out, so a token never expires between fetch and LOGIN. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** Used when the endpoint omits `expires_in` (RFC 6749 §5.1 makes it optional). */
const DEFAULT_LIFETIME_S = 3600;

export function microsoftTokenUrl(tenant: string): string {
  return `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
}
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Exchange Online's IMAP scope for the client-credentials grant (app-only access). */
export const MICROSOFT_IMAP_SCOPE = 'https://outlook.office365.com/.default';

/** The token request each provider expects: Microsoft 365 client credentials, Google refresh token. */
export function tokenRequest(cfg: ImapOAuth2Config): { url: string; body: URLSearchParams } {
  if (cfg.provider === 'microsoft') {
    return {
      url: cfg.tokenUrl ?? microsoftTokenUrl(cfg.tenant),
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: cfg.clientId, client_secret: cfg.clientSecret, scope: MICROSOFT_IMAP_SCOPE }),
    };
  }
  return {
    url: cfg.tokenUrl ?? GOOGLE_TOKEN_URL,
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: cfg.clientId, client_secret: cfg.clientSecret, refresh_token: cfg.refreshToken }),
  };
}

export function createTokenProvider(cfg: ImapOAuth2Config, deps: TokenProviderDeps = {}): TokenProvider {
  const doFetch = deps.fetch ?? fetch;
  const now = deps.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | null = null;
  let inflight: Promise<string> | null = null;

  const refresh = async (): Promise<string> => {
    const { url, body } = tokenRequest(cfg);
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new ImapSourceError('TOKEN_REFRESH_FAILED', `${cfg.provider} token endpoint ${url} unreachable (${(err as Error).message})`, err);
    }
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // reported below as a missing access_token, with the status
    }
    if (!res.ok || typeof json.access_token !== 'string' || !json.access_token) {
      const why = typeof json.error === 'string' ? `${json.error}${typeof json.error_description === 'string' ? `: ${json.error_description.split('\n')[0]}` : ''}` : `no access_token in the answer`;
      throw new ImapSourceError('TOKEN_REFRESH_FAILED', `${cfg.provider} token endpoint answered ${res.status} (${why})`);
    }
    const lifetime = Number(json.expires_in);
    const seconds = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_S;
    cached = { token: json.access_token, expiresAt: now() + seconds * 1000 };
    return json.access_token;
  };

  return {
    async getToken() {
      if (cached && now() < cached.expiresAt - REFRESH_MARGIN_MS) return cached.token;
      // Concurrent callers share one request instead of each spending a token grant.
      inflight ??= refresh().finally(() => (inflight = null));
      return inflight;
    },
    invalidate() {
      cached = null;
    },
  };
}
