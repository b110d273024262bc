import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { freePort } from './free-port.js';

export interface DovecotServer {
  host: string;
  /** Plain IMAP port offering STARTTLS. */
  starttlsPort: number;
  /** Implicit-TLS (imaps) port. */
  tlsPort: number;
  /** PEM of the CA that signed the server certificate (CN/SAN 127.0.0.1 and localhost). */
  caFile: string;
  users: Record<string, string>;
  dir: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** Debian installs it in /usr/sbin, which a non-root PATH may lack. */
function dovecotBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v dovecot'], { encoding: 'utf8' });
  if (found.status === 0) return found.stdout.trim();
  if (existsSync('/usr/sbin/dovecot')) return '/usr/sbin/dovecot';
  throw new Error('dovecot is not installed: apt-get install -y dovecot-imapd (see README, Tests)');
}

/**
 * A throwaway Dovecot (Debian's dovecot-imapd) on loopback: passwd-file users, maildir under a temp dir, a CA and a
 * server certificate generated here. Runs in the foreground as a child process; `stop()` kills it and removes the dir.
 */
export async function startDovecot(opts: { users: Record<string, string>; oauth2IntrospectionUrl?: string }): Promise<DovecotServer> {
  const dir = await mkdtemp(join(tmpdir(), 'sts-dovecot-'));
  await chmod(dir, 0o755);
  const [starttlsPort, tlsPort] = [await freePort(), await freePort()];
  const pki = makeCertificates();
  const caFile = join(dir, 'ca.crt');
  await writeFile(caFile, pki.caPem);
  await writeFile(join(dir, 'server.crt'), pki.certPem);
  await writeFile(join(dir, 'server.key'), pki.keyPem, { mode: 0o600 });
  await writeFile(join(dir, 'users'), Object.entries(opts.users).map(([u, p]) => `${u}:{PLAIN}${p}::::::\n`).join(''));
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true });
  const { uid, gid } = dovecotIds();
  await chown(home, uid, gid);
  const oauth2 = opts.oauth2IntrospectionUrl
    ? [
        `passdb {`,
        `  driver = oauth2`,
        `  mechanisms = xoauth2 oauthbearer`,
        `  args = ${join(dir, 'oauth2.conf.ext')}`,
        `}`,
      ]
    : [];
  if (opts.oauth2IntrospectionUrl) {
    await writeFile(
      join(dir, 'oauth2.conf.ext'),
      [
        `introspection_mode = post`,
        `introspection_url = ${opts.oauth2IntrospectionUrl}`,
        `username_attribute = username`,
        `active_attribute = active`,
        `active_value = true`,
        `tokeninfo_url = ${opts.oauth2IntrospectionUrl}?token=`,
        '',
      ].join('\n'),
    );
  }
  const conf = [
    `protocols = imap`,
    `listen = 127.0.0.1`,
    `base_dir = ${join(dir, 'run')}`,
    `state_dir = ${join(dir, 'state')}`,
    `log_path = ${join(dir, 'dovecot.log')}`,
    `info_log_path = ${join(dir, 'dovecot.log')}`,
    `default_internal_user = dovecot`,
    `default_internal_group = dovecot`,
    `default_login_user = dovecot`,
    `first_valid_uid = 1`,
    `ssl = yes`,
    `ssl_cert = <${join(dir, 'server.crt')}`,
    `ssl_key = <${join(dir, 'server.key')}`,
    `disable_plaintext_auth = no`,
    `auth_mechanisms = plain login${opts.oauth2IntrospectionUrl ? ' xoauth2 oauthbearer' : ''}`,
    `auth_failure_delay = 0`,
    `mail_location = maildir:~/Maildir`,
    `namespace inbox {`,
    `  inbox = yes`,
    `  separator = /`,
    `}`,
    `passdb {`,
    `  driver = passwd-file`,
    `  args = scheme=PLAIN username_format=%u ${join(dir, 'users')}`,
    `}`,
    ...oauth2,
    `userdb {`,
    `  driver = static`,
    `  args = uid=${uid} gid=${gid} home=${home}/%u`,
    `}`,
    `service imap-login {`,
    `  inet_listener imap {`,
    `    port = ${starttlsPort}`,
    `  }`,
    `  inet_listener imaps {`,
    `    port = ${tlsPort}`,
    `    ssl = yes`,
    `  }`,
    `}`,
    // No auth penalty: after the wrong-password test every later login would otherwise wait 2-15 s.
    `service anvil {`,
    `  chroot =`,
    `  unix_listener anvil-auth-penalty {`,
    `    mode = 0`,
    `  }`,
    `}`,
    '',
  ].join('\n');
  const confPath = join(dir, 'dovecot.conf');
  await writeFile(confPath, conf);
  const child: ChildProcess = spawn(dovecotBinary(), ['-F', '-c', confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const log = async () => output + (await readFile(join(dir, 'dovecot.log'), 'utf8').catch(() => ''));
  try {
    await waitForPort(starttlsPort, 10_000, () => child.exitCode !== null);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`dovecot did not start: ${(err as Error).message}\n${await log()}`);
  }
  return {
    host: '127.0.0.1',
    starttlsPort,
    tlsPort,
    caFile,
    users: opts.users,
    dir,
    log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function dovecotIds(): { uid: number; gid: number } {
  const out = (args: string[]) => Number(spawnSync('id', args, { encoding: 'utf8' }).stdout.trim());
  return { uid: out(['-u', 'dovecot']), gid: out(['-g', 'dovecot']) };
}

async function waitForPort(port: number, timeoutMs: number, failed: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (failed()) throw new Error('the process exited');
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} not answering after ${timeoutMs} ms`);
}

function makeCertificates(): { caPem: string; certPem: string; keyPem: string } {
  const pki = forge.pki;
  // node's keygen is native; forge's pure-JS RSA keygen takes seconds.
  const rsa = () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const key = pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
    return { privateKey: key, publicKey: pki.setRsaPublicKey(key.n, key.e) };
  };
  const caKeys = rsa();
  const ca = pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = '01';
  ca.validity.notBefore = new Date(Date.now() - 86_400_000);
  ca.validity.notAfter = new Date(Date.now() + 86_400_000);
  const caName = [{ name: 'commonName', value: 'STS Pilot test CA' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true }]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());
  const keys = rsa();
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '02';
  cert.validity.notBefore = ca.validity.notBefore;
  cert.validity.notAfter = ca.validity.notAfter;
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());
  return { caPem: pki.certificateToPem(ca), certPem: pki.certificateToPem(cert), keyPem: pki.privateKeyToPem(keys.privateKey) };
}
