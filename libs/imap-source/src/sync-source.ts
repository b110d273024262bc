import type { ImapSourceConfig } from '@app/config';
import { openImapClient, type ConnectOptions } from './imap-client.js';
import { classifyImapError } from './imap-errors.js';
import type { SourceLock } from './source-state.js';
import { emptyCounts, syncFolder, type SyncFolderDeps, type SyncResult } from './sync-folder.js';

export interface SyncSourceDeps extends SyncFolderDeps, ConnectOptions {
  /** Takes the per-source advisory lock; `null` means another process holds it. Not taken for dry runs. */
  lock?(sourceName: string): Promise<SourceLock | null>;
}

/** One complete sync of a source: lock, connect, one round over the folder, log out, unlock. Never throws. */
export async function syncSource(source: ImapSourceConfig, deps: SyncSourceDeps): Promise<SyncResult> {
  const failed = (code: 'LOCKED', message: string): SyncResult => ({ ok: false, code, message, counts: emptyCounts(), uidValidity: null, lastUid: null });
  let lock: SourceLock | null = null;
  if (deps.lock && !deps.dryRun) {
    lock = await deps.lock(source.name);
    if (!lock) return failed('LOCKED', `source "${source.name}" is being synced by another process (server or CLI); try again later`);
  }
  try {
    let client;
    try {
      client = await openImapClient(source, deps);
    } catch (err) {
      const e = classifyImapError(err, { host: source.host, port: source.port, folder: source.folder });
      return { ok: false, code: e.code, message: e.message, counts: { ...emptyCounts(), errors: 1 }, uidValidity: null, lastUid: null };
    }
    try {
      return await syncFolder(client, source, deps);
    } finally {
      await client.logout().catch(() => client.close());
    }
  } finally {
    await lock?.release();
  }
}
