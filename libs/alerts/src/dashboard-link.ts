/** The dashboard page of `domain` under PUBLIC_BASE_URL (no trailing slash doubled). */
export function dashboardLink(baseUrl: string, domain: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/domains/${encodeURIComponent(domain)}`;
}
