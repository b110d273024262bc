import type { ImapSourceConfig } from '@app/config';
import { NOT_VERIFIED_AT_RECEIPT, type IngestContext, type IngestOutcome } from '@app/ingest';
import type { ImapFlow } from 'imapflow';
import { classifyImapError, ImapSourceError, type ImapErrorCode } from './imap-errors.js';
import type { SourceStateStore } from './source-state.js';

/** Keywords set when moving is off (RFC 9051 keywords; `\Seen` is set too). */
export const PROCESSED_KEYWORD = '$StsPilotProcessed';
export const NOT_A_REPORT_KEYWORD = '$StsPilotNotReport';

export interface SyncCounts {
  /** Messages fetched and handled this round. */
  messages: number;
  stored: number;
  duplicates: number;
  quarantined: number;
  alreadyQuarantined: number;
  notReports: number;
  /** Larger than MAX_MESSAGE_BYTES: not fetched, filed with the non-reports. */
  oversized: number;
  moved: number;
  flagged: number;
  errors: number;
}

export type MessageDisposition = 'report' | 'not-a-report' | 'oversized';

export interface SyncProgress {
  uid: number;
  done: number;
  total: number;
  disposition: MessageDisposition;
  outcome: IngestOutcome | null;
  counts: SyncCounts;
}

export interface SyncFolderDeps {
  ingest(raw: Buffer, ctx: IngestContext): Promise<IngestOutcome>;
  state: SourceStateStore;
  maxMessageBytes: number;
  /** Extract and parse, but move nothing, flag nothing and remember nothing. */
  dryRun?: boolean;
  /** Backfill: every message received since this date, whatever the remembered UID (which is then left alone). */
  since?: Date;
  onStart?(total: number): void;
  onMessage?(p: SyncProgress): void;
  /** Checked between messages: a stop request ends the round after the message in hand is settled. */
  shouldStop?(): boolean;
  now?: () => Date;
}

export type SyncResult =
  | { ok: true; counts: SyncCounts; uidValidity: string; lastUid: number; uidValidityChanged: boolean; stopped: boolean }
  | { ok: false; code: ImapErrorCode; message: string; counts: SyncCounts; uidValidity: string | null; lastUid: number | null };

export function emptyCounts(): SyncCounts {
  return { messages: 0, stored: 0, duplicates: 0, quarantined: 0, alreadyQuarantined: 0, notReports: 0, oversized: 0, moved: 0, flagged: 0, errors: 0 };
}

/**
 * One round over the source folder of a logged-in client: every message above the remembered UID, in UID order,
 * through the ingest pipeline; only after its commit is it moved (or flagged) and the UID remembered. The first
 * failure ends the round and leaves that message where it is, so the next round starts with it again.
 */
export async function syncFolder(client: ImapFlow, source: ImapSourceConfig, deps: SyncFolderDeps): Promise<SyncResult> {
  const counts = emptyCounts();
  const where = { host: source.host, port: source.port, folder: source.folder };
  let uidValidity: bigint | null = null;
  let lastUid: number | null = null;
  const fail = (err: unknown, code?: ImapErrorCode): SyncResult => {
    const e = code ? new ImapSourceError(code, (err as Error).message, err) : classifyImapError(err, where);
    return { ok: false, code: e.code, message: e.message, counts, uidValidity: uidValidity?.toString() ?? null, lastUid };
  };
  try {
    const mailbox = await client.mailboxOpen(source.folder);
    uidValidity = BigInt(mailbox.uidValidity);
    const remembered = await deps.state.load(source.name);
    const sameMailbox = remembered !== null && remembered.uidValidity === uidValidity && remembered.folder === source.folder;
    lastUid = sameMailbox ? remembered.lastUid : 0;
    const uidValidityChanged = remembered !== null && !sameMailbox;
    const writes = !deps.dryRun;
    const remember = writes && !deps.since;
    if (writes && source.move) await ensureFolders(client, [source.processedFolder, source.nonReportFolder]);

    const fromUid = deps.since ? 1 : lastUid + 1;
    const uids = mailbox.exists === 0 ? [] : await listUids(client, fromUid, deps.since);
    deps.onStart?.(uids.length);
    const sizes = uids.length ? await messageSizes(client, uids[0]) : new Map<number, number>();
    let stopped = false;
    let saved = false;
    for (const uid of uids) {
      if (deps.shouldStop?.()) {
        stopped = true;
        break;
      }
      let disposition: MessageDisposition;
      let outcome: IngestOutcome | null = null;
      const size = sizes.get(uid) ?? 0;
      if (size > deps.maxMessageBytes) {
        // Never pulled into memory; SMTP would have refused it with 552 before DATA ended.
        disposition = 'oversized';
        counts.oversized++;
      } else {
        const msg = await client.fetchOne(String(uid), { source: true, internalDate: true }, { uid: true });
        if (!msg || !msg.source) continue; // expunged meanwhile by another client
        const ctx: IngestContext = {
          source: `imap:${source.name}`,
          receivedAt: msg.internalDate instanceof Date ? msg.internalDate : (deps.now?.() ?? new Date()),
          envelope: { imap: { source: source.name, host: source.host, folder: source.folder, uid, uidValidity: uidValidity.toString() } },
          dkim: NOT_VERIFIED_AT_RECEIPT,
        };
        try {
          outcome = await deps.ingest(msg.source, ctx);
        } catch (err) {
          counts.errors++;
          return fail(new Error(`message UID ${uid} could not be stored, left in "${source.folder}": ${(err as Error).message}`), 'INGEST_FAILED');
        }
        if (outcome.kind === 'no-report') {
          disposition = 'not-a-report';
          counts.notReports++;
        } else {
          disposition = 'report';
          counts.stored += outcome.counts.stored;
          counts.duplicates += outcome.counts.duplicates;
          counts.quarantined += outcome.counts.quarantined;
          counts.alreadyQuarantined += outcome.counts.alreadyQuarantined;
        }
      }
      counts.messages++;
      if (writes) {
        // The report is committed; a failure from here on only means it is read again (as a duplicate) next round.
        await settle(client, source, uid, disposition, counts);
        if (remember) {
          lastUid = Math.max(lastUid, uid);
          await deps.state.save(source.name, { folder: source.folder, uidValidity, lastUid });
          saved = true;
        }
      }
      deps.onMessage?.({ uid, done: counts.messages, total: uids.length, disposition, outcome, counts: { ...counts } });
    }
    // A new or renumbered mailbox with nothing to read: still record the UIDVALIDITY it now has.
    if (remember && !saved && (uidValidityChanged || remembered === null)) {
      await deps.state.save(source.name, { folder: source.folder, uidValidity, lastUid });
    }
    return { ok: true, counts, uidValidity: uidValidity.toString(), lastUid, uidValidityChanged, stopped };
  } catch (err) {
    counts.errors++;
    return fail(err);
  }
}

async function listUids(client: ImapFlow, fromUid: number, since: Date | undefined): Promise<number[]> {
  const found = await client.search({ uid: `${fromUid}:*`, ...(since ? { since } : {}) }, { uid: true });
  // `n:*` always includes the highest UID, even when it is below n (RFC 9051 §6.4.8).
  return (found || []).filter((u) => u >= fromUid).sort((a, b) => a - b);
}

async function messageSizes(client: ImapFlow, fromUid: number): Promise<Map<number, number>> {
  const sizes = new Map<number, number>();
  for await (const m of client.fetch(`${fromUid}:*`, { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
  return sizes;
}

async function ensureFolders(client: ImapFlow, folders: string[]): Promise<void> {
  const existing = new Set((await client.list()).map((m) => m.path));
  for (const f of folders) {
    if (!existing.has(f)) await client.mailboxCreate(f);
  }
}

async function settle(client: ImapFlow, source: ImapSourceConfig, uid: number, disposition: MessageDisposition, counts: SyncCounts): Promise<void> {
  const processed = disposition === 'report';
  if (source.move) {
    const target = processed ? source.processedFolder : source.nonReportFolder;
    const moved = await client.messageMove(String(uid), target, { uid: true });
    if (!moved) throw new Error(`could not move UID ${uid} to "${target}"`);
    counts.moved++;
  } else {
    await client.messageFlagsAdd(String(uid), ['\\Seen', processed ? PROCESSED_KEYWORD : NOT_A_REPORT_KEYWORD], { uid: true });
    counts.flagged++;
  }
}
