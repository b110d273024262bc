import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_LIMITS, generateCorpus, reportObject, type CorpusCase } from './adversarial/corpus.js';
import { gzipSync } from 'fflate';
import { attachment, CORPUS_RUA, reportMail } from './adversarial/mime.js';
import { sendRawSmtp, type RawSmtpResult } from './adversarial/raw-smtp.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const CASE_TIMEOUT_MS = 20_000;
const PARALLEL = 4;
const BATCH = 24;
/** The server runs in this process: its heap, buffers and sockets all show in this RSS. */
const RSS_GROWTH_LIMIT = 256 * 1024 * 1024;

describe('issue 9: hostile input through the real SMTP listener', () => {
  let app: TestApp;
  let db: pg.Pool;
  const corpus: CorpusCase[] = generateCorpus();

  beforeAll(async () => {
    app = await bootTestApp({
      // The whole corpus comes from one loopback address; rate limits are exercised in limits.e2e-spec.ts.
      SMTP_MAX_CONNECTIONS_PER_MINUTE_PER_IP: '1000000',
      MAX_MESSAGE_BYTES: String(CORPUS_LIMITS.maxMessageBytes),
      MAX_DECOMPRESSED_BYTES: String(CORPUS_LIMITS.maxDecompressedBytes),
      MAX_JSON_DEPTH: String(CORPUS_LIMITS.maxJsonDepth),
      MAX_POLICIES: String(CORPUS_LIMITS.maxPolicies),
      MAX_FAILURE_DETAILS: String(CORPUS_LIMITS.maxFailureDetails),
      MAX_MIME_PARTS: String(CORPUS_LIMITS.maxMimeParts),
    });
    db = new pg.Pool({ connectionString: app.db.url, max: 4 });
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('the generated corpus has at least 500 cases in every required category', () => {
    const categories = new Set(corpus.map((c) => c.category));
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    for (const required of [
      'gzip truncated',
      'gzip corrupt',
      'gzip/zip bomb',
      'bad base64',
      'bad quoted-printable',
      'content-type with wrong bytes',
      'deep JSON',
      'bad numbers',
      'non-IP in IP fields',
      'invalid dates',
      '10,000 policies',
      'NUL bytes and invalid UTF-8',
      'enormous headers',
      'hundreds of attachments',
      'nested multiparts',
      'missing boundaries',
      'zip archives',
      'same report twice',
    ]) {
      expect(categories, required).toContain(required);
    }
  });

  it('every case ends with its exact reply and stored state; a normal report is stored after each batch; no crash, no hang, bounded memory', async () => {
    const mismatches: string[] = [];
    const table = new Map<string, Record<string, number>>();
    let canaries = 0;
    let baselineRss = 0;
    let peakRss = 0;

    for (let start = 0; start < corpus.length; start += BATCH) {
      const batch = corpus.slice(start, start + BATCH);
      const results = await runLimited(batch, PARALLEL, (c) =>
        sendRawSmtp({ port: app.smtpPort, from: `${c.id}@corpus.test`, to: CORPUS_RUA, body: c.mail, timeoutMs: CASE_TIMEOUT_MS }),
      );
      for (const [i, c] of batch.entries()) {
        const problem = await checkCase(c, results[i]);
        if (problem) mismatches.push(problem);
        const row = table.get(c.category) ?? {};
        const label = problem ? 'MISMATCH' : c.expect.label;
        row[label] = (row[label] ?? 0) + 1;
        table.set(c.category, row);
      }
      await checkCanary(`canary-${start}`);
      canaries++;
      const rss = process.memoryUsage().rss;
      if (start === 0) baselineRss = rss;
      peakRss = Math.max(peakRss, rss);
    }

    console.table(
      Object.fromEntries(
        [...table].map(([cat, row]) => [
          cat,
          { cases: Object.values(row).reduce((a, b) => a + b, 0), mismatches: row.MISMATCH ?? 0, outcomes: Object.entries(row).filter(([k]) => k !== 'MISMATCH').map(([k, n]) => `${k} ×${n}`).join('; ') },
        ]),
      ),
    );
    console.log(`${corpus.length} cases, ${canaries} canary reports, RSS baseline ${mib(baselineRss)} MiB, peak ${mib(peakRss)} MiB`);
    expect(mismatches).toEqual([]);
    expect(canaries).toBe(Math.ceil(corpus.length / BATCH));
    expect(peakRss - baselineRss).toBeLessThan(RSS_GROWTH_LIMIT);
  }, 300_000);

  async function checkCase(c: CorpusCase, res: RawSmtpResult): Promise<string | null> {
    const e = c.expect;
    const reply = `${res.code} ${res.text}`;
    const want = e.text !== undefined ? `${e.code} ${e.enhanced} ${e.text}` : `${e.code} ${e.enhanced} ${e.textStartsWith}…`;
    const textOk = e.text !== undefined ? res.text === `${e.enhanced} ${e.text}` : res.text.startsWith(`${e.enhanced} ${e.textStartsWith}`);
    if (res.code !== e.code || !textOk) return `${c.id}: replied "${reply.slice(0, 300)}" (${res.stage}, ${res.ms} ms), expected "${want}"`;
    const { rows } = await db.query(
      `SELECT (SELECT count(*)::int FROM raw_message WHERE envelope->>'mailFrom' = $1) AS raws,
              (SELECT count(*)::int FROM report r JOIN raw_message m ON m.id = r.raw_message_id WHERE m.envelope->>'mailFrom' = $1) AS reports,
              (SELECT coalesce(array_agg(q.reason_code ORDER BY q.reason_code), '{}') FROM quarantine q JOIN raw_message m ON m.id = q.raw_message_id
                WHERE m.envelope->>'mailFrom' = $1) AS quarantine`,
      [`${c.id}@corpus.test`],
    );
    const got = rows[0];
    const wantRaws = e.reports > 0 || e.quarantine.length > 0 ? 1 : 0;
    if (got.raws !== wantRaws || got.reports !== e.reports || JSON.stringify(got.quarantine) !== JSON.stringify(e.quarantine)) {
      return `${c.id}: stored ${JSON.stringify(got)}, expected ${JSON.stringify({ raws: wantRaws, reports: e.reports, quarantine: e.quarantine })}`;
    }
    return null;
  }

  async function checkCanary(id: string) {
    const report = reportObject(id, (r) => (r.policies[0].summary['total-successful-session-count'] = 42));
    const mail = reportMail(id, [attachment(gzipSync(new TextEncoder().encode(JSON.stringify(report))), 'application/tlsrpt+gzip')]);
    const res = await sendRawSmtp({ port: app.smtpPort, from: `${id}@canary.test`, to: CORPUS_RUA, body: mail, timeoutMs: CASE_TIMEOUT_MS });
    expect(`${res.code} ${res.text}`, `canary ${id}`).toBe('250 2.0.0 1 report(s) stored');
    const { rows } = await db.query(
      `SELECT r.report_id, p.successful_sessions::int AS ok, p.failed_sessions::int AS failed
         FROM report r JOIN report_policy p ON p.report_pk = r.id JOIN raw_message m ON m.id = r.raw_message_id
        WHERE m.envelope->>'mailFrom' = $1`,
      [`${id}@canary.test`],
    );
    expect(rows).toEqual([{ report_id: id, ok: 42, failed: 1 }]);
  }
});

async function runLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

const mib = (n: number) => Math.round(n / 1024 / 1024);
