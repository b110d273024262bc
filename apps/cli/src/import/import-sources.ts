import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

export type ImportItemKind = 'mail' | 'payload';

export interface ImportItem {
  /** Where it came from, for the summary: a path, or `path#n` for the n-th message of an mbox. */
  label: string;
  kind: ImportItemKind;
  load(): Promise<Buffer>;
}

const MAIL_EXT = new Set(['.eml', '.elm', '.msg', '.mail']);
const PAYLOAD_EXT = new Set(['.json', '.gz', '.zip', '.tlsrpt']);

/**
 * Everything under the given paths that may hold reports: `.eml` files, `.json`/`.json.gz`/`.zip` bodies, mbox files
 * (split into messages) and Maildir folders (`cur/` and `new/`), recursively. Other files are listed as skipped.
 */
export async function collectImportItems(paths: string[]): Promise<{ items: ImportItem[]; skipped: string[] }> {
  const items: ImportItem[] = [];
  const skipped: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path);
    if (info.isDirectory()) {
      const entries = (await readdir(path)).filter((e) => !e.startsWith('.')).sort();
      const isMaildir = ['cur', 'new'].every((d) => entries.includes(d)) || (entries.includes('cur') && entries.includes('tmp'));
      for (const e of entries) {
        if (isMaildir && e === 'tmp') continue;
        await visit(join(path, e));
      }
      return;
    }
    const kind = await classify(path);
    if (kind === 'mbox') {
      const messages = splitMbox(await readFile(path));
      messages.forEach((m, i) => items.push({ label: `${path}#${i + 1}`, kind: 'mail', load: async () => m }));
    } else if (kind) {
      items.push({ label: path, kind, load: () => readFile(path) });
    } else {
      skipped.push(path);
    }
  };
  for (const p of paths) await visit(p);
  return { items, skipped };
}

async function classify(path: string): Promise<ImportItemKind | 'mbox' | null> {
  const ext = extname(path).toLowerCase();
  if (ext === '.mbox' || basename(path).toLowerCase() === 'mbox') return 'mbox';
  if (MAIL_EXT.has(ext)) return 'mail';
  if (PAYLOAD_EXT.has(ext)) return 'payload';
  // Maildir files and extension-less files: decide by the first bytes.
  const head = (await readFile(path)).subarray(0, 512).toString('latin1');
  if (head.startsWith('From ')) return 'mbox';
  if (/^[\x21-\x39\x3b-\x7e]+:/m.test(head.split('\n')[0] ?? '')) return 'mail';
  if (head.startsWith('\x1f\x8b') || head.startsWith('PK\x03\x04') || head.trimStart().startsWith('{')) return 'payload';
  return null;
}

/** mboxo/mboxrd: messages start at a `From ` line; `>From ` quoting inside bodies is undone (mboxrd). */
export function splitMbox(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  const starts: number[] = [];
  const re = /^From [^\n]*\n/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index);
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const firstLineEnd = text.indexOf('\n', start) + 1;
    const body = text.slice(firstLineEnd, end).replace(/^>(>*From )/gm, '$1').replace(/\n$/, '');
    return Buffer.from(body, 'latin1');
  });
}
