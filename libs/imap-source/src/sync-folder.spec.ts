import { imapSourceSchema } from '@app/config';
import type { IngestContext, IngestOutcome } from '@app/ingest';
import type { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import type { SourcePosition, SourceStateStore } from './source-state.js';
import { syncFolder } from './sync-folder.js';

/** A scripted mailbox standing in for imapflow: records every command in one log shared with ingest and state. */
function fakeMailbox(messages: Array<{ uid: number; body: string }>, log: string[], opts: { uidValidity?: bigint } = {}) {
  const client = {
    mailboxOpen: async (path: string) => {
      log.push(`select ${path}`);
      return { path, uidValidity: opts.uidValidity ?? 7n, exists: messages.length };
    },
    list: async () => [{ path: 'INBOX' }, { path: 'Done' }, { path: 'Other' }],
    mailboxCreate: async (path: string) => log.push(`create ${path}`),
    search: async (q: { uid: string }) => {
      const from = Number(q.uid.split(':')[0]);
      const found = messages.filter((m) => m.uid >= from).map((m) => m.uid);
      // `n:*` includes the highest UID even when it is below n.
      return found.length ? found : messages.length ? [messages.at(-1)!.uid] : [];
    },
    fetch: async function* () {
      for (const m of messages) yield { uid: m.uid, size: m.body.length };
    },
    fetchOne: async (uid: string) => {
      const m = messages.find((x) => x.uid === Number(uid));
      return m && { uid: m.uid, source: Buffer.from(m.body), internalDate: new Date('2024-01-02T10:00:00Z') };
    },
    messageMove: async (uid: string, to: string) => {
      log.push(`move ${uid} ${to}`);
      return { destination: to };
    },
    messageFlagsAdd: async (uid: string, flags: string[]) => {
      log.push(`flag ${uid} ${flags.join(' ')}`);
      return true;
    },
  };
  return client as unknown as ImapFlow;
}

function memoryState(log: string[], initial: SourcePosition | null = null): SourceStateStore & { value: SourcePosition | null } {
  const s = {
    value: initial,
    load: async () => s.value,
    save: async (_: string, p: SourcePosition) => {
      log.push(`remember ${p.lastUid}`);
      s.value = p;
    },
  };
  return s;
}

const source = imapSourceSchema.parse({ name: 'unit', host: 'imap.test', user: 'u', password: 'p', processedFolder: 'Done', nonReportFolder: 'Other' });
const accepted: IngestOutcome = { kind: 'accepted', counts: { stored: 1, duplicates: 0, quarantined: 0, alreadyQuarantined: 0 }, rawMessageId: 1, reportIds: ['r'], storedPolicyDomains: ['example.com'], quarantineReasons: [], summary: '' };

describe('syncFolder: commit first, then move, then remember', () => {
  it('moves each message only after its ingest returned, and remembers its UID only after the move', async () => {
    const log: string[] = [];
    const ingest = async (raw: Buffer, ctx: IngestContext): Promise<IngestOutcome> => {
      log.push(`ingest ${(ctx.envelope.imap as { uid: number }).uid}`);
      return raw.toString().includes('report') ? accepted : { kind: 'no-report', reason: 'none' };
    };
    const state = memoryState(log);
    const res = await syncFolder(fakeMailbox([{ uid: 3, body: 'report a' }, { uid: 5, body: 'hello' }], log), source, { ingest, state, maxMessageBytes: 1000 });
    expect(res).toMatchObject({ ok: true, lastUid: 5, counts: { messages: 2, stored: 1, notReports: 1, moved: 2 } });
    expect(log).toEqual(['select INBOX', 'ingest 3', 'move 3 Done', 'remember 3', 'ingest 5', 'move 5 Other', 'remember 5']);
  });

  it('a failed ingest moves nothing, remembers nothing and stops the round', async () => {
    const log: string[] = [];
    const state = memoryState(log, { folder: 'INBOX', uidValidity: 7n, lastUid: 2 });
    const ingest = async (_raw: Buffer, ctx: IngestContext): Promise<IngestOutcome> => {
      const uid = (ctx.envelope.imap as { uid: number }).uid;
      log.push(`ingest ${uid}`);
      if (uid === 4) throw new Error('database unavailable');
      return accepted;
    };
    const res = await syncFolder(fakeMailbox([{ uid: 2, body: 'old' }, { uid: 3, body: 'report' }, { uid: 4, body: 'report' }, { uid: 5, body: 'report' }], log), source, { ingest, state, maxMessageBytes: 1000 });
    expect(res).toEqual({
      ok: false,
      code: 'INGEST_FAILED',
      message: 'message UID 4 could not be stored, left in "INBOX": database unavailable',
      counts: expect.objectContaining({ messages: 1, stored: 1, moved: 1, errors: 1 }),
      uidValidity: '7',
      lastUid: 3,
    });
    expect(log).toEqual(['select INBOX', 'ingest 3', 'move 3 Done', 'remember 3', 'ingest 4']);
    expect(state.value?.lastUid).toBe(3);
  });

  it('nothing above the remembered UID: `n:*` returning the last old UID is not read again', async () => {
    const log: string[] = [];
    const state = memoryState(log, { folder: 'INBOX', uidValidity: 7n, lastUid: 9 });
    const ingest = async () => {
      log.push('ingest');
      return accepted;
    };
    const res = await syncFolder(fakeMailbox([{ uid: 9, body: 'report' }], log), source, { ingest, state, maxMessageBytes: 1000 });
    expect(res).toMatchObject({ ok: true, lastUid: 9, counts: { messages: 0 } });
    expect(log).toEqual(['select INBOX']);
  });

  it('a different UIDVALIDITY starts again from the first UID', async () => {
    const log: string[] = [];
    const state = memoryState(log, { folder: 'INBOX', uidValidity: 6n, lastUid: 50 });
    const ingest = async () => accepted;
    const res = await syncFolder(fakeMailbox([{ uid: 1, body: 'report' }], log, { uidValidity: 8n }), source, { ingest, state, maxMessageBytes: 1000 });
    expect(res).toMatchObject({ ok: true, uidValidityChanged: true, uidValidity: '8', lastUid: 1, counts: { messages: 1 } });
    expect(state.value).toEqual({ folder: 'INBOX', uidValidity: 8n, lastUid: 1 });
  });

  it('dry run: ingests but moves, flags and remembers nothing', async () => {
    const log: string[] = [];
    const state = memoryState(log);
    const res = await syncFolder(fakeMailbox([{ uid: 1, body: 'report' }], log), source, { ingest: async () => accepted, state, maxMessageBytes: 1000, dryRun: true });
    expect(res).toMatchObject({ ok: true, counts: { messages: 1, stored: 1, moved: 0, flagged: 0 } });
    expect(log).toEqual(['select INBOX']);
    expect(state.value).toBeNull();
  });
});
