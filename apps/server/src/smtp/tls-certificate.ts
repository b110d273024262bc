import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
  origin: 'configured' | 'self-signed-existing' | 'self-signed-new';
  keyPath: string;
  certPath: string;
}

/**
 * STARTTLS material: the configured files, else a self-signed certificate kept under `<dataDir>/tls/` (created on
 * first start). Senders that deliver TLS reports do not validate the report host's certificate (RPT-DLV-11).
 */
export async function loadSmtpTls(opts: {
  certFile: string | null;
  keyFile: string | null;
  dataDir: string;
  hostname: string;
}): Promise<TlsMaterial> {
  if (opts.certFile && opts.keyFile) {
    return {
      cert: await readFile(opts.certFile, 'utf8'),
      key: await readFile(opts.keyFile, 'utf8'),
      origin: 'configured',
      certPath: opts.certFile,
      keyPath: opts.keyFile,
    };
  }
  const dir = join(opts.dataDir, 'tls');
  const certPath = join(dir, 'smtp-selfsigned.crt');
  const keyPath = join(dir, 'smtp-selfsigned.key');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8'), origin: 'self-signed-existing', certPath, keyPath };
  }
  const pems = await generate([{ name: 'commonName', value: opts.hostname }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: opts.hostname }] }],
  } as Parameters<typeof generate>[1]);
  await mkdir(dir, { recursive: true });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert);
  return { cert: pems.cert, key: pems.private, origin: 'self-signed-new', certPath, keyPath };
}
