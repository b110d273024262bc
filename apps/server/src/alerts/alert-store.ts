import type { AlertCandidate, CertificateSeen, DayTotals, DomainSnapshot, FailureClass } from '@app/alerts';
import { isSuppressed } from '@app/alerts';
import type { DomainStore, WatchedDomain } from '@app/domain-store';
import type { DataSource, EntityManager } from 'typeorm';
import { atMostCeilingSql } from '@app/store';

const DAY_MS = 86_400_000;

export interface Delivery {
  channel: string;
  ok: boolean;
  status?: number;
  error?: string;
}

/** An alert or a digest to record: `kind` is an alert kind or `digest`. */
export type AlertInput = Omit<AlertCandidate, 'kind' | 'evidence'> & { kind: string; evidence: Record<string, unknown> };

export interface StoredAlert {
  id: number;
  domain: string;
  kind: string;
  subject: string;
  message: string;
  evidence: Record<string, unknown>;
  link: string;
  createdAt: string;
  deliveries: Delivery[];
}

interface ScanRow {
  last_report_pk: string;
  last_verdict: string | null;
}

function day(d: Date, offsetDays = 0): string {
  return new Date(d.getTime() + offsetDays * DAY_MS).toISOString().slice(0, 10);
}

/** Certificates from the latest stored check: the policy host's and each probed MX's. */
function certificatesOf(domain: string, details: unknown): CertificateSeen[] {
  const d = details as { policyFetch?: { cert?: { notAfter?: string | null } | null }; mxProbes?: Array<{ host: string; cert?: { notAfter?: string | null } | null }> } | null;
  const out: CertificateSeen[] = [];
  if (d?.policyFetch?.cert) out.push({ host: `mta-sts.${domain}`, notAfter: d.policyFetch.cert.notAfter ?? null });
  for (const p of d?.mxProbes ?? []) if (p.cert) out.push({ host: p.host, notAfter: p.cert.notAfter ?? null });
  return out;
}

/** Reads what alert detection needs and records alerts and scan watermarks. */
export class AlertStore {
  constructor(
    private readonly ds: DataSource,
    private readonly domains: DomainStore,
  ) {}

  /**
   * Runs `fn` holding the domain's alert lock, so two processes evaluating the same domain never both send an alert
   * or both move the watermark.
   */
  withDomainLock<T>(domain: string, fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('sts-pilot:alert:' || $1))`, [domain]);
      return fn(m);
    });
  }

  async snapshot(m: EntityManager, d: WatchedDomain, now: Date): Promise<{ snapshot: DomainSnapshot; upToReportPk: number }> {
    const [scan]: ScanRow[] = await m.query(`SELECT last_report_pk, last_verdict FROM alert_scan WHERE domain = $1`, [d.domain]);
    const [{ max }] = await m.query(`SELECT coalesce(max(id), 0)::bigint AS max FROM report`);
    const upTo = Number(max);
    // First evaluation: what arrived before the domain was watched is history, not news.
    const from = scan
      ? Number(scan.last_report_pk)
      : Number((await m.query(`SELECT coalesce(max(id), 0)::bigint AS max FROM report WHERE received_at < $1`, [d.createdAt]))[0].max);
    // failure_detail is reached through the domain's policies (its key is (policy_pk, position)).
    const recent: Array<{ result_type: string; mx: string; sessions: string }> = await m.query(
      `SELECT f.result_type, coalesce(f.receiving_mx_hostname, '') AS mx, ${atMostCeilingSql('sum(f.failed_session_count)')}::bigint AS sessions
         FROM report_policy p JOIN failure_detail f ON f.policy_pk = p.id
        WHERE p.policy_domain = $1 AND p.report_pk > $2 AND p.report_pk <= $3 AND f.policy_domain = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [d.domain, from, upTo],
    );
    const known: Array<{ result_type: string; mx: string }> = await m.query(
      `SELECT DISTINCT f.result_type, coalesce(f.receiving_mx_hostname, '') AS mx
         FROM report_policy p JOIN failure_detail f ON f.policy_pk = p.id
        WHERE p.policy_domain = $1 AND p.report_pk <= $2 AND f.policy_domain = $1`,
      [d.domain, from],
    );
    const days: Array<{ day: string; successful: string; failed: string }> = await m.query(
      `SELECT day::text AS day, ${atMostCeilingSql('sum(successful_sessions)')}::bigint AS successful, ${atMostCeilingSql('sum(failed_sessions)')}::bigint AS failed
         FROM daily_policy_rollup WHERE policy_domain = $1 AND day IN ($2::date, $3::date) GROUP BY day ORDER BY day`,
      [d.domain, day(now, -2), day(now, -1)],
    );
    const [{ last }] = await m.query(
      `SELECT max(r.received_at) AS last FROM report_policy p JOIN report r ON r.id = p.report_pk WHERE p.policy_domain = $1`,
      [d.domain],
    );
    const [advice, check] = await Promise.all([this.domains.latestAdvice(d.id), this.domains.latestCheck(d.id)]);
    const recentFailures: FailureClass[] = recent.map((r) => ({ resultType: r.result_type, receivingMx: r.mx, sessions: Number(r.sessions) }));
    // Both days must be reported for a day-over-day comparison.
    const lastTwoDays: DayTotals[] =
      days.length === 2 ? days.map((r) => ({ day: r.day, successful: Number(r.successful), failed: Number(r.failed) })) : [];
    return {
      upToReportPk: upTo,
      snapshot: {
        domain: d.domain,
        now,
        previousVerdict: scan ? scan.last_verdict : null,
        currentVerdict: advice?.advice.verdict ?? null,
        recentFailures,
        knownResultTypes: [...new Set(known.map((k) => k.result_type))],
        knownReceivingMx: [...new Set(known.map((k) => k.mx).filter(Boolean))],
        lastTwoDays,
        certificates: check ? certificatesOf(d.domain, check.details) : [],
        lastReportAt: last ? new Date(last) : null,
        watchedSince: d.createdAt,
      },
    };
  }

  async saveScan(m: EntityManager, domain: string, upToReportPk: number, verdict: string | null, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO alert_scan (domain, last_report_pk, last_verdict, scanned_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (domain) DO UPDATE SET last_report_pk = EXCLUDED.last_report_pk, last_verdict = EXCLUDED.last_verdict, scanned_at = EXCLUDED.scanned_at`,
      [domain, upToReportPk, verdict, now],
    );
  }

  /** Stores `a` unless the same domain + kind + subject was stored less than `suppressHours` ago; null when suppressed. */
  async recordUnlessSuppressed(m: EntityManager, a: AlertInput, now: Date, suppressHours: number): Promise<StoredAlert | null> {
    const [prev] = await m.query(`SELECT created_at FROM alert WHERE domain = $1 AND kind = $2 AND subject = $3 ORDER BY created_at DESC LIMIT 1`, [
      a.domain,
      a.kind,
      a.subject,
    ]);
    if (isSuppressed(prev ? new Date(prev.created_at) : null, now, suppressHours)) return null;
    const [row] = await m.query(
      `INSERT INTO alert (domain, kind, subject, message, evidence, link, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [a.domain, a.kind, a.subject, a.message, JSON.stringify(a.evidence), a.link, now],
    );
    return toStored(row);
  }

  async setDeliveries(id: number, deliveries: Delivery[]): Promise<void> {
    await this.ds.query(`UPDATE alert SET deliveries = $2 WHERE id = $1`, [id, JSON.stringify(deliveries)]);
  }

  async list(opts: { limit: number; cursor?: number; domain?: string; kind?: string }): Promise<{ items: StoredAlert[]; nextCursor: number | null }> {
    const rows = await this.ds.query(
      `SELECT * FROM alert WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR domain = $2) AND ($3::text IS NULL OR kind = $3)
        ORDER BY id DESC LIMIT $4`,
      [opts.cursor ?? null, opts.domain ?? null, opts.kind ?? null, opts.limit + 1],
    );
    const items = rows.slice(0, opts.limit).map(toStored);
    return { items, nextCursor: rows.length > opts.limit ? items[items.length - 1].id : null };
  }
}

function toStored(row: Record<string, any>): StoredAlert {
  return {
    id: Number(row.id),
    domain: row.domain,
    kind: row.kind,
    subject: row.subject,
    message: row.message,
    evidence: row.evidence,
    link: row.link,
    createdAt: new Date(row.created_at).toISOString(),
    deliveries: row.deliveries,
  };
}
