// Pure presentation helpers (no DOM): unit-tested in format.spec.ts.

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'unknown';

export interface AdviceLike {
  state?: string;
  verdict?: string;
  blockers?: Array<{ code: string; message?: string; evidence?: Record<string, unknown> }>;
}

const VERDICTS: Record<string, { label: string; tone: Tone }> = {
  'start-testing': { label: 'start testing', tone: 'info' },
  'fix-deployment': { label: 'fix deployment', tone: 'bad' },
  'keep-testing': { label: 'keep testing', tone: 'warn' },
  'ready-to-enforce': { label: 'ready to enforce', tone: 'good' },
  'enforced-ok': { label: 'enforced, healthy', tone: 'good' },
  'update-mx': { label: 'update MX in policy', tone: 'warn' },
  rollback: { label: 'roll back to testing', tone: 'bad' },
  'retire-wait': { label: 'retiring: wait', tone: 'info' },
  'safe-to-remove': { label: 'safe to remove records', tone: 'info' },
};

/** The verdict badge. Without advice the badge says so: "no advice yet" is never shown as healthy. */
export function verdictBadge(advice: AdviceLike | null | undefined): { label: string; tone: Tone } {
  if (!advice?.verdict) return { label: 'no advice yet', tone: 'unknown' };
  const known = VERDICTS[advice.verdict] ?? { label: advice.verdict, tone: 'unknown' as Tone };
  if (advice.verdict === 'keep-testing') {
    const dwell = advice.blockers?.find((b) => b.code === 'TESTING_TOO_SHORT')?.evidence;
    const elapsed = Number(dwell?.elapsedDays);
    const required = Number(dwell?.requiredDays);
    if (Number.isFinite(elapsed) && Number.isFinite(required) && required > 0) {
      return { label: `keep testing: ${Math.floor(elapsed)} of ${Math.ceil(required)} days`, tone: 'warn' };
    }
  }
  return known;
}

/** Failure share of all sessions, or null when there were none (no data is not 0 %). */
export function failureRate(successful: number, failed: number): number | null {
  const total = successful + failed;
  return total > 0 ? failed / total : null;
}

export function formatRate(rate: number | null): string {
  if (rate === null) return 'no sessions';
  if (rate === 0) return '0 %';
  const pct = rate * 100;
  if (pct < 0.01) return '< 0.01 %';
  return `${pct < 10 ? pct.toFixed(2) : pct.toFixed(1)} %`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "2024-01-02 10:00 UTC": one unambiguous zone for every operator. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** SVG path for a sparkline; null values (days without sessions) break the line instead of drawing 0. */
export function sparklinePath(values: Array<number | null>, width: number, height: number): string {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return '';
  const max = Math.max(...present, 0.001);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const x = (values.length > 1 ? i * step : width / 2).toFixed(1);
    const y = (height - 1 - (v / max) * (height - 2)).toFixed(1);
    d += `${pen ? 'L' : 'M'}${x},${y}`;
    pen = true;
  });
  return d;
}

/** Running sums, bottom series first, for a stacked area chart; a gap (null) stays a gap. */
export function stack(series: Array<Array<number | null>>): Array<Array<number | null>> {
  const out: Array<Array<number | null>> = [];
  series.forEach((s, i) => out.push(s.map((v, j) => (v === null ? null : v + (i > 0 ? (out[i - 1][j] ?? 0) : 0)))));
  return out;
}

/** The records a new domain publishes so that reports start arriving here (RFC 8460 §3). */
export function tlsRptRecord(domain: string, rua: string): string {
  return `_smtp._tls.${domain}. IN TXT "v=TLSRPTv1; rua=mailto:${rua}"`;
}

/** A minimal RFC 8460 report for a first end-to-end test with swaks. */
export function sampleReport(domain: string, day: string): string {
  return JSON.stringify(
    {
      'organization-name': 'Test Sender',
      'date-range': { 'start-datetime': `${day}T00:00:00Z`, 'end-datetime': `${day}T23:59:59Z` },
      'contact-info': 'postmaster@sender.example',
      'report-id': `${day}-test`,
      policies: [
        {
          policy: { 'policy-type': 'no-policy-found', 'policy-domain': domain },
          summary: { 'total-successful-session-count': 1, 'total-failure-session-count': 0 },
        },
      ],
    },
    null,
    2,
  );
}

/** swaks command that mails report.json to this service as an RFC 8460 §5.3 report. */
export function swaksCommand(o: { to: string; server: string; domain: string }): string {
  return [
    `swaks --to ${o.to} --server ${o.server}`,
    `  --header "Subject: Report Domain: ${o.domain} Submitter: sender.example Report-ID: <test@sender.example>"`,
    `  --header "TLS-Report-Domain: ${o.domain}" --header "TLS-Report-Submitter: sender.example"`,
    `  --attach-type application/tlsrpt+json --attach-name report.json --attach @report.json`,
  ].join(' \\\n');
}

const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/i;
export function isDomainName(s: string): boolean {
  return DOMAIN_RE.test(s);
}
