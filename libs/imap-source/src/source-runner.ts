import type { ImapSourceConfig } from '@app/config';
import type { ImapFlow } from 'imapflow';
import { backoffDelay } from './backoff.js';
import { openImapClient } from './imap-client.js';
import { classifyImapError, type ImapErrorCode } from './imap-errors.js';
import type { SourceLock } from './source-state.js';
import { emptyCounts, syncFolder, type SyncCounts, type SyncFolderDeps, type SyncResult } from './sync-folder.js';
import { createTokenProvider, type TokenProvider } from './token-provider.js';

export type RunnerState = 'starting' | 'syncing' | 'waiting' | 'backoff' | 'locked-elsewhere' | 'stopped';

export interface SourceStatus {
  name: string;
  host: string;
  port: number;
  folder: string;
  auth: 'password' | 'oauth2:microsoft' | 'oauth2:google';
  state: RunnerState;
  /** Whether the server offers IDLE (new mail is then picked up at once); null before the first login. */
  idle: boolean | null;
  lastSyncAt: string | null;
  lastError: { code: ImapErrorCode; message: string; at: string } | null;
  consecutiveFailures: number;
  nextAttemptAt: string | null;
  uidValidity: string | null;
  lastUid: number | null;
  rounds: number;
  /** Sums over every round since the server started. */
  totals: SyncCounts;
}

export interface RunnerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RunnerDeps extends Pick<SyncFolderDeps, 'ingest' | 'state' | 'maxMessageBytes'> {
  lock(sourceName: string): Promise<SourceLock | null>;
  tokens?: TokenProvider;
  log?: RunnerLog;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Log in again after this long, so an OAuth2 session never outlives its token by much. */
  maxSessionMs?: number;
  onRound?(name: string, result: SyncResult): void;
  /** Every failure: a failed round, or a login/connection/lock error before any round. */
  onError?(name: string, code: ImapErrorCode): void;
  /** Replaced in unit specs; `openImapClient` otherwise. */
  connect?: typeof openImapClient;
}

const silent: RunnerLog = { info: () => undefined, warn: () => undefined };

/**
 * Runs one source until stopped: lock, log in, sync, then wait for the server's IDLE push (or the poll interval)
 * and sync again. Any failure is recorded in the status, logged, and retried after an exponential back-off.
 */
export class ImapSourceRunner {
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly tokens: TokenProvider | undefined;
  private readonly log: RunnerLog;
  private readonly s: SourceStatus;

  constructor(
    private readonly source: ImapSourceConfig,
    private readonly deps: RunnerDeps,
  ) {
    this.tokens = deps.tokens ?? (source.oauth2 ? createTokenProvider(source.oauth2) : undefined);
    this.log = deps.log ?? silent;
    this.s = {
      name: source.name,
      host: source.host,
      port: source.port,
      folder: source.folder,
      auth: source.oauth2 ? `oauth2:${source.oauth2.provider}` : 'password',
      state: 'starting',
      idle: null,
      lastSyncAt: null,
      lastError: null,
      consecutiveFailures: 0,
      nextAttemptAt: null,
      uidValidity: null,
      lastUid: null,
      rounds: 0,
      totals: emptyCounts(),
    };
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.s.state = 'stopped';
  }

  status(): SourceStatus {
    return { ...this.s, totals: { ...this.s.totals }, lastError: this.s.lastError && { ...this.s.lastError } };
  }

  private async run(): Promise<void> {
    const base = this.deps.backoffBaseMs ?? 5_000;
    const max = this.deps.backoffMaxMs ?? 300_000;
    while (!this.stopped) {
      try {
        await this.session();
      } catch (err) {
        if (err instanceof RecordedFailure) {
          // already in the status and the log
        } else {
          this.recordError(err);
        }
      }
      if (this.stopped || this.s.consecutiveFailures === 0) continue;
      const delay = backoffDelay(this.s.consecutiveFailures, base, max);
      this.s.state = 'backoff';
      this.s.nextAttemptAt = new Date(Date.now() + delay).toISOString();
      await this.sleep(delay);
      this.s.nextAttemptAt = null;
    }
    this.s.state = 'stopped';
  }

  private recordError(err: unknown): void {
    const e = classifyImapError(err, { host: this.source.host, port: this.source.port, folder: this.source.folder });
    this.s.consecutiveFailures++;
    this.s.lastError = { code: e.code, message: e.message, at: new Date().toISOString() };
    this.deps.onError?.(this.source.name, e.code);
    this.log.warn({ source: this.source.name, code: e.code, failures: this.s.consecutiveFailures }, `IMAP source ${this.source.name}: ${e.message}`);
  }

  /**
   * One login: rounds until stopped, the session is old, or something fails (thrown to `run`). The advisory lock
   * is held for each round only, so `sts-pilot imap sync` or another server can take a turn between rounds.
   */
  private async session(): Promise<void> {
    const client = await (this.deps.connect ?? openImapClient)(this.source, { tokens: this.tokens });
    const since = Date.now();
    try {
      this.s.idle = client.capabilities.has('IDLE');
      while (!this.stopped) {
        const lock = await this.deps.lock(this.source.name);
        if (lock) {
          this.s.state = 'syncing';
          let result: SyncResult;
          try {
            result = await syncFolder(client, this.source, { ...this.deps, shouldStop: () => this.stopped });
          } finally {
            await lock.release().catch(() => undefined);
          }
          this.record(result);
          if (!result.ok) throw new RecordedFailure();
        } else {
          // Another process is on it; its moves wake us through IDLE, or the poll interval does.
          this.s.state = 'locked-elsewhere';
        }
        if (Date.now() - since > (this.deps.maxSessionMs ?? 45 * 60_000)) return;
        if (this.s.state !== 'locked-elsewhere') this.s.state = 'waiting';
        await this.waitForMail(client, this.source.pollSeconds * 1000);
        // The server closed the connection while we waited (restart, idle timeout): log in again, no error.
        if (!client.usable) return;
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  private record(result: SyncResult): void {
    this.s.rounds++;
    for (const k of Object.keys(result.counts) as Array<keyof SyncCounts>) this.s.totals[k] += result.counts[k];
    if (result.uidValidity !== null) this.s.uidValidity = result.uidValidity;
    if (result.lastUid !== null) this.s.lastUid = result.lastUid;
    this.deps.onRound?.(this.source.name, result);
    if (result.ok) {
      this.s.lastSyncAt = new Date().toISOString();
      this.s.consecutiveFailures = 0;
      this.s.lastError = null;
      const c = result.counts;
      if (c.messages) {
        this.log.info({ source: this.source.name, ...c }, `IMAP source ${this.source.name}: ${c.messages} message(s), ${c.stored} report(s) stored`);
      }
    } else {
      // Classified by syncFolder; keep its code rather than re-deriving it from the message.
      this.s.consecutiveFailures++;
      this.s.lastError = { code: result.code, message: result.message, at: new Date().toISOString() };
      this.deps.onError?.(this.source.name, result.code);
      this.log.warn({ source: this.source.name, code: result.code, failures: this.s.consecutiveFailures }, `IMAP source ${this.source.name}: ${result.message}`);
    }
  }

  /** Resolves on new mail (the server's EXISTS during IDLE), a dropped connection, the poll interval, or stop(). */
  private waitForMail(client: ImapFlow, ms: number): Promise<void> {
    return new Promise((resolve) => {
      // stop() may have come while a round was running, when there was nothing to wake.
      if (this.stopped) return resolve();
      const done = () => {
        clearTimeout(timer);
        client.off('exists', done);
        client.off('close', done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      client.on('exists', done);
      client.on('close', done);
      this.wake = done;
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}

/** A failed round whose error `record` has already put in the status. */
class RecordedFailure extends Error {}
