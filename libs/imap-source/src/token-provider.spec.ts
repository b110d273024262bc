import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapSourceError } from './imap-errors.js';
import { createTokenProvider, MICROSOFT_IMAP_SCOPE, microsoftTokenUrl, REFRESH_MARGIN_MS, tokenRequest } from './token-provider.js';

/** A tiny OAuth2 token endpoint on loopback: records each form body and answers with the next queued reply. */
describe('OAuth2 token providers against a loopback token endpoint', () => {
  let server: Server;
  let url: string;
  const requests: Array<Record<string, string>> = [];
  let replies: Array<{ status: number; body: unknown }> = [];

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      requests.push({ ...Object.fromEntries(new URLSearchParams(body)), _contentType: String(req.headers['content-type']) });
      const reply = replies.shift() ?? { status: 500, body: { error: 'server_error' } };
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const reset = (queued: Array<{ status: number; body: unknown }>) => {
    requests.length = 0;
    replies = queued;
  };

  it('Microsoft 365: client-credentials grant with the Exchange Online scope, cached until near expiry, then refreshed', async () => {
    reset([
      { status: 200, body: { access_token: 'ms-1', token_type: 'Bearer', expires_in: 3599 } },
      { status: 200, body: { access_token: 'ms-2', token_type: 'Bearer', expires_in: 3599 } },
    ]);
    let now = 1_000_000;
    const p = createTokenProvider({ provider: 'microsoft', tenant: 'contoso.onmicrosoft.com', clientId: 'app-id', clientSecret: 'app-secret', tokenUrl: url }, { now: () => now });
    expect(await p.getToken()).toBe('ms-1');
    expect(requests).toEqual([
      { grant_type: 'client_credentials', client_id: 'app-id', client_secret: 'app-secret', scope: MICROSOFT_IMAP_SCOPE, _contentType: 'application/x-www-form-urlencoded' },
    ]);
    now += 3599_000 - REFRESH_MARGIN_MS - 1000;
    expect(await p.getToken()).toBe('ms-1');
    expect(requests).toHaveLength(1);
    now += 2000; // inside the refresh margin: a token about to expire is never handed out
    expect(await p.getToken()).toBe('ms-2');
    expect(requests).toHaveLength(2);
  });

  it('Google: refresh-token grant; concurrent callers share one request; invalidate() forces a new token', async () => {
    reset([
      { status: 200, body: { access_token: 'g-1', expires_in: 3599, scope: 'https://mail.google.com/' } },
      { status: 200, body: { access_token: 'g-2', expires_in: 3599 } },
    ]);
    const p = createTokenProvider({ provider: 'google', clientId: 'cid', clientSecret: 'cs', refreshToken: 'rt', tokenUrl: url });
    expect(await Promise.all([p.getToken(), p.getToken(), p.getToken()])).toEqual(['g-1', 'g-1', 'g-1']);
    expect(requests.map(({ _contentType, ...form }) => form)).toEqual([{ grant_type: 'refresh_token', client_id: 'cid', client_secret: 'cs', refresh_token: 'rt' }]);
    p.invalidate();
    expect(await p.getToken()).toBe('g-2');
    expect(requests).toHaveLength(2);
  });

  it('a refused grant is TOKEN_REFRESH_FAILED with the endpoint error, and the next call asks again', async () => {
    reset([
      { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } },
      { status: 200, body: { access_token: 'g-3', expires_in: 3599 } },
    ]);
    const p = createTokenProvider({ provider: 'google', clientId: 'cid', clientSecret: 'cs', refreshToken: 'revoked', tokenUrl: url });
    const err = await p.getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImapSourceError);
    expect((err as ImapSourceError).code).toBe('TOKEN_REFRESH_FAILED');
    expect((err as ImapSourceError).message).toBe('google token endpoint answered 400 (invalid_grant: Token has been expired or revoked.)');
    expect(await p.getToken()).toBe('g-3');
  });

  it('a 200 without access_token is refused, and an unreachable endpoint is TOKEN_REFRESH_FAILED too', async () => {
    reset([{ status: 200, body: { token_type: 'Bearer' } }]);
    const p = createTokenProvider({ provider: 'google', clientId: 'c', clientSecret: 's', refreshToken: 'r', tokenUrl: url });
    await expect(p.getToken()).rejects.toMatchObject({ code: 'TOKEN_REFRESH_FAILED', message: 'google token endpoint answered 200 (no access_token in the answer)' });
    const down = createTokenProvider({ provider: 'google', clientId: 'c', clientSecret: 's', refreshToken: 'r', tokenUrl: 'http://127.0.0.1:1/token' });
    await expect(down.getToken()).rejects.toMatchObject({ code: 'TOKEN_REFRESH_FAILED' });
  });

  it('uses the public endpoints when no tokenUrl is given', () => {
    expect(tokenRequest({ provider: 'microsoft', tenant: 'contoso.onmicrosoft.com', clientId: 'a', clientSecret: 'b' }).url).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    );
    expect(microsoftTokenUrl('x/y')).toBe('https://login.microsoftonline.com/x%2Fy/oauth2/v2.0/token');
    expect(tokenRequest({ provider: 'google', clientId: 'a', clientSecret: 'b', refreshToken: 'c' }).url).toBe('https://oauth2.googleapis.com/token');
  });
});
