/// <reference lib="dom" />
export type Route =
  | { page: 'sign-in' }
  | { page: 'domains' }
  | { page: 'domain'; domain: string }
  | { page: 'reports'; id: number | null }
  | { page: 'quarantine' }
  | { page: 'not-found'; path: string };

export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts[0] === 'domains' && parts.length === 1)) return { page: 'domains' };
  if (parts[0] === 'sign-in' && parts.length === 1) return { page: 'sign-in' };
  if (parts[0] === 'domains' && parts.length === 2) return { page: 'domain', domain: parts[1].toLowerCase() };
  if (parts[0] === 'reports' && parts.length === 1) return { page: 'reports', id: null };
  if (parts[0] === 'reports' && parts.length === 2 && /^[1-9][0-9]{0,15}$/.test(parts[1])) return { page: 'reports', id: Number(parts[1]) };
  if (parts[0] === 'quarantine' && parts.length === 1) return { page: 'quarantine' };
  return { page: 'not-found', path };
}

export const href = {
  domains: () => '/domains',
  domain: (d: string) => `/domains/${encodeURIComponent(d)}`,
  reports: () => '/reports',
  report: (id: number) => `/reports/${id}`,
  quarantine: () => '/quarantine',
};
