import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { join } from 'node:path';

/** Paths the dashboard never answers, not even with its SPA fallback. */
export const NON_WEB_PREFIXES = ['/api', '/tlsrpt', '/metrics', '/.well-known'] as const;

/**
 * The dashboard's own policy: no inline scripts, everything from this origin (the bundle, uPlot included,
 * works offline). No upgrade-insecure-requests, so a plain-HTTP LAN install still loads its assets.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function isWebPath(path: string): boolean {
  return !NON_WEB_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/** A request for a dashboard page: a GET/HEAD that accepts HTML, outside the API and protocol paths. */
export function wantsPage(req: Pick<Request, 'method' | 'path' | 'headers'>): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!isWebPath(req.path)) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

/** Policy hosts (`mta-sts.<domain>`) serve only the policy file, never the dashboard. */
function isPolicyHost(req: Request): boolean {
  return (req.hostname ?? '').toLowerCase().startsWith('mta-sts.');
}

export function webMiddleware(root: string | null): RequestHandler {
  if (root === null) return (_req, _res, next) => next();
  const assetDir = join(root, 'assets');
  const assets = express.static(root, {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader('Content-Security-Policy', WEB_CSP);
      // Vite puts a content hash in every asset name: cache those for good, never the HTML.
      res.setHeader('Cache-Control', path.startsWith(assetDir) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const indexFile = join(root, 'index.html');
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isWebPath(req.path) || isPolicyHost(req)) return next();
    assets(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!wantsPage(req)) return next();
      res.setHeader('Content-Security-Policy', WEB_CSP);
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(indexFile, (sendErr) => sendErr && next(sendErr));
    });
  };
}
