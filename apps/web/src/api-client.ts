/// <reference lib="dom" />
import { session } from './session.js';

/**
 * `missing`: the server has no such route (an API not shipped yet), shown as "not available yet";
 * `not-found`: the route exists but the thing does not.
 */
export type ApiResult<T> =
  | { ok: true; data: T }
  | { ok: false; kind: 'unauthorized' | 'forbidden' | 'missing' | 'not-found' | 'invalid' | 'error'; status: number; message: string };

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = init.token ?? session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  } catch (err) {
    return { ok: false, kind: 'error', status: 0, message: `The server did not answer (${(err as Error).message}).` };
  }
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.ok) return { ok: true, data: body as T };
  const raw = body?.message ?? text ?? res.statusText;
  const message = Array.isArray(raw) ? raw.join('; ') : String(raw);
  if (res.status === 401) {
    if (!init.token) onUnauthorized();
    return { ok: false, kind: 'unauthorized', status: 401, message };
  }
  if (res.status === 403) return { ok: false, kind: 'forbidden', status: 403, message };
  // Nest answers an unknown route with "Cannot GET /api/…": that endpoint does not exist on this server yet.
  if (res.status === 404) return { ok: false, kind: /^Cannot (GET|POST|PUT|DELETE|PATCH) /.test(message) ? 'missing' : 'not-found', status: 404, message };
  if (res.status === 400) return { ok: false, kind: 'invalid', status: 400, message };
  return { ok: false, kind: 'error', status: res.status, message };
}

export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
