import { EventEmitter } from 'node:events';
import { imapSourceSchema } from '@app/config';
import type { IngestOutcome } from '@app/ingest';
import type { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { ImapSourceError } from './imap-errors.js';
import { ImapSourceRunner, type RunnerDeps } from './source-runner.js';
import type { SourcePosition } from './source-state.js';

const source = imapSourceSchema.parse({ name: 'unit', host: 'imap.test', user: 'u', password: 'p', pollSeconds: 600 });
const accepted: IngestOutcome = { kind: 'accepted', counts: { stored: 1, duplicates: 0, quarantined: 0, alreadyQuarantined: 0 }, rawMessageId: 1, reportIds: ['r'], storedPolicyDomains: ['example.com'], quarantineReasons: [], summary: '' };

/** Just enough of imapflow for a runner session: one message, IDLE offered, events through EventEmitter. */
function fakeClient(log: string[]): ImapFlow {
  const c = Object.assign(new EventEmitter(), {
    capabilities: new Map([['IDLE', true]]),
    usable: true,
    mailboxOpen: async () => ({ uidValidity: 1n, exists: 1 }),
    list: async () => [{ path: 'INBOX' }, { path: 'TLSRPT-Processed' }, { path: 'TLSRPT-Not-a-report' }],
    search: async () => [1],
    fetch: async function* () {
      yield { uid: 1, size: 10 };
    },
    fetchOne: async () => ({ uid: 1, source: Buffer.from('report'), internalDate: new Date() }),
    messageMove: async () => {
      log.push('move');
      return {};
    },
    logout: async () => void log.push('logout'),
    close: () => undefined,
  });
  return c as unknown as ImapFlow;
}

function deps(log: string[], over: Partial<RunnerDeps> = {}): RunnerDeps {
  let position: SourcePosition | null = null;
  return {
    ingest: async () => accepted,
    state: { load: async () => position, save: async (_n, p) => void (position = p) },
    lock: async () => ({ release: async () => void log.push('unlock') }),
    maxMessageBytes: 1000,
    connect: async () => fakeClient(log),
    ...over,
  };
}

const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms))]);

describe('ImapSourceRunner', () => {
  it('stop() during a round lets the message settle, then ends at once instead of waiting for the poll interval', async () => {
    const log: string[] = [];
    let runner!: ImapSourceRunner;
    let stopping: Promise<void> | null = null;
    runner = new ImapSourceRunner(source, deps(log, { ingest: async () => ((stopping = runner.stop()), accepted) }));
    runner.start();
    await within(2000, (async () => {
      while (!stopping) await new Promise((r) => setTimeout(r, 5));
      await stopping;
    })());
    expect(log).toEqual(['move', 'unlock', 'logout']);
    expect(runner.status()).toMatchObject({ state: 'stopped', rounds: 1, lastUid: 1, totals: { messages: 1, stored: 1, moved: 1 } });
  });

  it('a login failure is recorded with its code, backs off, and stop() ends the back-off at once', async () => {
    const log: string[] = [];
    const codes: string[] = [];
    const runner = new ImapSourceRunner(
      source,
      deps(log, {
        connect: async () => {
          throw new ImapSourceError('AUTH_FAILED', 'login to imap.test:993 was refused');
        },
        onError: (_n, code) => codes.push(code),
        backoffBaseMs: 60_000,
      }),
    );
    runner.start();
    for (let i = 0; i < 100 && runner.status().state !== 'backoff'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(runner.status()).toMatchObject({
      state: 'backoff',
      consecutiveFailures: 1,
      lastSyncAt: null,
      lastError: { code: 'AUTH_FAILED', message: 'login to imap.test:993 was refused' },
    });
    expect(codes).toEqual(['AUTH_FAILED']);
    await within(1000, runner.stop());
    expect(runner.status().state).toBe('stopped');
  });

  it('another process holding the lock: the round is skipped and nothing is read', async () => {
    const log: string[] = [];
    let ingested = 0;
    const runner = new ImapSourceRunner(source, deps(log, { lock: async () => null, ingest: async () => (ingested++, accepted) }));
    runner.start();
    for (let i = 0; i < 100 && runner.status().state !== 'locked-elsewhere'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(runner.status()).toMatchObject({ state: 'locked-elsewhere', rounds: 0, lastError: null });
    await within(1000, runner.stop());
    expect([ingested, log]).toEqual([0, ['logout']]);
  });
});
