import type { Finding } from '@app/mta-sts';
import { storedReportText } from '@app/report-mail';
import type { Advice, Observed } from '@app/rollout';
import type { DataSource } from 'typeorm';
import type { LivePolicy } from './live-policy.js';
import type {
  AdviceRow,
  CheckSummary,
  FetchRow,
  NewTransition,
  Page,
  PublishedRow,
  ServedPolicy,
  StoredCheck,
  StoredReportText,
  TransitionRow,
  TransitionStatus,
  WatchedDomain,
} from './domain-store.types.js';

type Row = Record<string, any>;

const num = (v: unknown) => Number(v);
const date = (v: unknown) => new Date(v as string);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function page<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}

const toDomain = (r: Row): WatchedDomain => ({ id: num(r.id), domain: r.domain, createdAt: date(r.created_at) });
const toCheck = (r: Row): StoredCheck => ({
  id: num(r.id),
  checkedAt: date(r.checked_at),
  summary: r.summary,
  findings: r.findings,
  observed: r.observed,
  details: r.details,
});
const toPublished = (r: Row): PublishedRow => ({
  id: num(r.id),
  txt: r.txt,
  policyId: r.policy_id,
  bodyHash: r.body_hash,
  body: r.body,
  mode: r.mode,
  maxAge: numOrNull(r.max_age),
  firstSeen: date(r.first_seen),
  lastSeen: date(r.last_seen),
});
const toTransition = (r: Row): TransitionRow => ({
  id: num(r.id),
  status: r.status,
  verdict: r.verdict,
  policyId: r.policy_id,
  body: r.body,
  txt: r.txt,
  tlsrptTxt: r.tlsrpt_txt,
  mode: r.mode,
  maxAge: num(r.max_age),
  createdAt: date(r.created_at),
  deadline: date(r.deadline),
  completedAt: r.completed_at === null ? null : date(r.completed_at),
});
const toAdvice = (r: Row): AdviceRow => ({
  id: num(r.id),
  computedAt: date(r.computed_at),
  trigger: r.trigger,
  checkId: numOrNull(r.check_id),
  advice: r.advice,
});
const toFetch = (r: Row): FetchRow => ({
  id: num(r.id),
  fetchedAt: date(r.fetched_at),
  clientIp: r.client_ip,
  userAgent: r.user_agent,
  host: r.host,
  policyId: r.policy_id,
});

/** SQL for watched domains, their checks, published-policy log, transitions, advice and policy fetches. */
export class DomainStore {
  constructor(private readonly ds: DataSource) {}

  /** Idempotent: an existing domain is returned with `created: false`. */
  async addDomain(domain: string, now: Date): Promise<{ created: boolean; domain: WatchedDomain }> {
    const inserted: Row[] = await this.ds.query(
      `INSERT INTO watched_domain (domain, created_at) VALUES ($1, $2) ON CONFLICT (domain) DO NOTHING RETURNING *`,
      [domain, now],
    );
    if (inserted.length > 0) return { created: true, domain: toDomain(inserted[0]) };
    return { created: false, domain: (await this.getDomain(domain)) as WatchedDomain };
  }

  async getDomain(domain: string): Promise<WatchedDomain | null> {
    const rows: Row[] = await this.ds.query(`SELECT * FROM watched_domain WHERE domain = $1`, [domain]);
    return rows.length ? toDomain(rows[0]) : null;
  }

  async listDomains(): Promise<WatchedDomain[]> {
    const rows: Row[] = await this.ds.query(`SELECT * FROM watched_domain ORDER BY domain`);
    return rows.map(toDomain);
  }

  async deleteDomain(domain: string): Promise<boolean> {
    // Through a CTE: TypeORM answers a bare DELETE ... RETURNING with [rows, count].
    const rows: Row[] = await this.ds.query(`WITH gone AS (DELETE FROM watched_domain WHERE domain = $1 RETURNING id) SELECT id FROM gone`, [domain]);
    return rows.length > 0;
  }

  async insertCheck(domainId: number, check: { checkedAt: Date; summary: CheckSummary; findings: Finding[]; observed: Observed; details: unknown }): Promise<StoredCheck> {
    const rows: Row[] = await this.ds.query(
      `INSERT INTO domain_check (domain_id, checked_at, summary, findings, observed, details) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [domainId, check.checkedAt, JSON.stringify(check.summary), JSON.stringify(check.findings), JSON.stringify(check.observed), JSON.stringify(check.details)],
    );
    return toCheck(rows[0]);
  }

  /** Newest first, keyset-paginated on id. */
  async listChecks(domainId: number, limit: number, cursor?: number): Promise<Page<StoredCheck>> {
    const rows: Row[] = await this.ds.query(
      `SELECT * FROM domain_check WHERE domain_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [domainId, cursor ?? null, limit + 1],
    );
    return page(rows.map(toCheck), limit);
  }

  async latestCheck(domainId: number): Promise<StoredCheck | null> {
    const rows: Row[] = await this.ds.query(`SELECT * FROM domain_check WHERE domain_id = $1 ORDER BY id DESC LIMIT 1`, [domainId]);
    return rows.length ? toCheck(rows[0]) : null;
  }

  /**
   * ROLL-1 observation log: a new entry when the live TXT + body differ from the latest entry (so a pair
   * that comes back after another one starts a new entry), else the latest entry's last_seen moves on.
   */
  async recordLivePolicy(domainId: number, live: LivePolicy, at: Date): Promise<{ added: boolean }> {
    // Row lock on the domain: two checks finishing together (server and CLI) must not both append.
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT id FROM watched_domain WHERE id = $1 FOR UPDATE`, [domainId]);
      const rows: Row[] = await m.query(`SELECT * FROM published_policy WHERE domain_id = $1 ORDER BY first_seen DESC, id DESC LIMIT 1`, [domainId]);
      const last = rows.length ? toPublished(rows[0]) : null;
      if (last && last.txt === live.txt && last.bodyHash === live.bodyHash) {
        await m.query(`UPDATE published_policy SET last_seen = greatest(last_seen, $2) WHERE id = $1`, [last.id, at]);
        return { added: false };
      }
      await m.query(
        `INSERT INTO published_policy (domain_id, txt, policy_id, body_hash, body, mode, max_age, first_seen, last_seen)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
        [domainId, live.txt, live.policyId, live.bodyHash, live.body, live.mode, live.maxAge, at],
      );
      return { added: true };
    });
  }

  /** Oldest first. */
  async publishedHistory(domainId: number): Promise<PublishedRow[]> {
    const rows: Row[] = await this.ds.query(`SELECT * FROM published_policy WHERE domain_id = $1 ORDER BY first_seen, id`, [domainId]);
    return rows.map(toPublished);
  }

  async insertTransition(domainId: number, t: NewTransition): Promise<TransitionRow> {
    // One transition in flight per domain: accepting a newer proposal replaces an unfinished one.
    await this.ds.query(`UPDATE policy_transition SET status = 'superseded' WHERE domain_id = $1 AND status IN ('pending', 'expired')`, [domainId]);
    const rows: Row[] = await this.ds.query(
      `INSERT INTO policy_transition (domain_id, status, verdict, policy_id, body, txt, tlsrpt_txt, mode, max_age, created_at, deadline)
       VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [domainId, t.verdict, t.policyId, t.body, t.txt, t.tlsrptTxt, t.mode, t.maxAge, t.createdAt, t.deadline],
    );
    return toTransition(rows[0]);
  }

  async listTransitions(domainId: number): Promise<TransitionRow[]> {
    const rows: Row[] = await this.ds.query(`SELECT * FROM policy_transition WHERE domain_id = $1 ORDER BY id DESC`, [domainId]);
    return rows.map(toTransition);
  }

  /** The unfinished transition (pending, or expired but not replaced), if any. */
  async openTransition(domainId: number): Promise<TransitionRow | null> {
    const rows: Row[] = await this.ds.query(
      `SELECT * FROM policy_transition WHERE domain_id = $1 AND status IN ('pending', 'expired') ORDER BY id DESC LIMIT 1`,
      [domainId],
    );
    return rows.length ? toTransition(rows[0]) : null;
  }

  async setTransitionStatus(id: number, status: TransitionStatus, completedAt: Date | null = null): Promise<void> {
    await this.ds.query(`UPDATE policy_transition SET status = $2, completed_at = $3 WHERE id = $1`, [id, status, completedAt]);
  }

  /** ROLL-2: pending transitions past their deadline become expired (still served, still completable). */
  async expireTransitions(domainId: number, now: Date): Promise<void> {
    await this.ds.query(`UPDATE policy_transition SET status = 'expired' WHERE domain_id = $1 AND status = 'pending' AND deadline <= $2`, [domainId, now]);
  }

  /**
   * The body the policy host serves for `domain`: the newest transition that was not replaced (pending,
   * expired or completed), else the newest body seen live.
   */
  async servedPolicy(domain: string): Promise<ServedPolicy | null> {
    const rows: Row[] = await this.ds.query(
      `SELECT d.id AS domain_id, t.body AS t_body, t.policy_id AS t_id, p.body AS p_body, p.policy_id AS p_id
         FROM watched_domain d
         LEFT JOIN LATERAL (SELECT body, policy_id FROM policy_transition WHERE domain_id = d.id AND status <> 'superseded' ORDER BY id DESC LIMIT 1) t ON true
         LEFT JOIN LATERAL (SELECT body, policy_id FROM published_policy WHERE domain_id = d.id ORDER BY first_seen DESC, id DESC LIMIT 1) p ON true
        WHERE d.domain = $1`,
      [domain],
    );
    const r = rows[0];
    if (!r) return null;
    if (r.t_body !== null) return { domainId: num(r.domain_id), body: r.t_body, policyId: r.t_id, source: 'transition' };
    if (r.p_body !== null) return { domainId: num(r.domain_id), body: r.p_body, policyId: r.p_id, source: 'published' };
    return null;
  }

  async logFetch(domainId: number, f: Omit<FetchRow, 'id'>): Promise<void> {
    await this.ds.query(
      `INSERT INTO policy_fetch_log (domain_id, fetched_at, client_ip, user_agent, host, policy_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [domainId, f.fetchedAt, f.clientIp, f.userAgent, f.host, f.policyId],
    );
  }

  async listFetches(domainId: number, limit: number, cursor?: number): Promise<Page<FetchRow>> {
    const rows: Row[] = await this.ds.query(
      `SELECT * FROM policy_fetch_log WHERE domain_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [domainId, cursor ?? null, limit + 1],
    );
    return page(rows.map(toFetch), limit);
  }

  async insertAdvice(domainId: number, a: { computedAt: Date; trigger: string; checkId: number | null; advice: Advice }): Promise<AdviceRow> {
    const rows: Row[] = await this.ds.query(
      `INSERT INTO advice_record (domain_id, computed_at, trigger, check_id, state, verdict, advice) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [domainId, a.computedAt, a.trigger, a.checkId, a.advice.state, a.advice.verdict, JSON.stringify(a.advice)],
    );
    return toAdvice(rows[0]);
  }

  async latestAdvice(domainId: number): Promise<AdviceRow | null> {
    const rows: Row[] = await this.ds.query(`SELECT * FROM advice_record WHERE domain_id = $1 ORDER BY id DESC LIMIT 1`, [domainId]);
    return rows.length ? toAdvice(rows[0]) : null;
  }

  async listAdvice(domainId: number, limit: number, cursor?: number): Promise<Page<AdviceRow>> {
    const rows: Row[] = await this.ds.query(
      `SELECT * FROM advice_record WHERE domain_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [domainId, cursor ?? null, limit + 1],
    );
    return page(rows.map(toAdvice), limit);
  }

  /** Stored reports with a policy for `domain` whose date range ended after `since`. */
  async reportsFor(domain: string, since: Date): Promise<StoredReportText[]> {
    const rows: Array<{ id: string; report_text: string | null; report_gz: Buffer | null; authenticated: boolean }> = await this.ds.query(
      `SELECT r.id, r.report_text, r.report_gz, r.authenticated FROM report r
        WHERE r.date_end > $2 AND EXISTS (SELECT 1 FROM report_policy p WHERE p.report_pk = r.id AND lower(p.policy_domain) = $1)
        ORDER BY r.date_start, r.id`,
      [domain, since],
    );
    return rows.map((r) => ({ id: num(r.id), text: storedReportText(r), authenticated: r.authenticated }));
  }
}
