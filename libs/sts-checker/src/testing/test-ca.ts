// Test PKI for the checker's specs and the e2e suites: one CA, leaf certificates on demand.
// Keys come from node:crypto (fast); node-forge builds and signs the certificates.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface KeyAndCert {
  key: string;
  cert: string;
}

export interface LeafOptions {
  /** SAN DNS names; the first is also the CN. */
  names: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** Sign with the leaf's own key instead of the CA (a certificate "not from the CA"). */
  selfSigned?: boolean;
}

export interface TestCa {
  /** PEM of the CA certificate: pass it as `caCerts`. */
  caCert: string;
  issue(opts: LeafOptions): KeyAndCert;
  /** Ready-made leaf variants for `host`. */
  good(host: string): KeyAndCert;
  expired(host: string): KeyAndCert;
  expiringInDays(host: string, days: number): KeyAndCert;
  wrongName(host: string): KeyAndCert;
  selfSigned(host: string): KeyAndCert;
}

const DAY_MS = 86_400_000;

function rsaKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

let serial = 1;
function nextSerial(): string {
  serial += 1;
  return `0${(Date.now() * 1000 + serial).toString(16)}`;
}

export function createTestCa(name = 'STS Pilot Test CA'): TestCa {
  const caKeys = rsaKeyPair();
  const caKey = forge.pki.privateKeyFromPem(caKeys.privatePem);
  const caAttrs = [{ name: 'commonName', value: name }];
  const ca = forge.pki.createCertificate();
  ca.publicKey = forge.pki.publicKeyFromPem(caKeys.publicPem);
  ca.serialNumber = nextSerial();
  ca.validity.notBefore = new Date(Date.now() - DAY_MS);
  ca.validity.notAfter = new Date(Date.now() + 3650 * DAY_MS);
  ca.setSubject(caAttrs);
  ca.setIssuer(caAttrs);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKey, forge.md.sha256.create());
  const caCert = forge.pki.certificateToPem(ca);
  // One leaf key is enough for every test certificate; only the certificates differ.
  const leafKeys = rsaKeyPair();
  const leafKey = forge.pki.privateKeyFromPem(leafKeys.privatePem);

  const issue = (opts: LeafOptions): KeyAndCert => {
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(leafKeys.publicPem);
    cert.serialNumber = nextSerial();
    cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - DAY_MS);
    cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 365 * DAY_MS);
    const subject = [{ name: 'commonName', value: opts.names[0] }];
    cert.setSubject(subject);
    cert.setIssuer(opts.selfSigned ? subject : caAttrs);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: opts.names.map((value) => ({ type: 2, value })) },
    ]);
    cert.sign(opts.selfSigned ? leafKey : caKey, forge.md.sha256.create());
    return { key: leafKeys.privatePem, cert: forge.pki.certificateToPem(cert) };
  };

  // Signing in JavaScript is the slow part: the ready-made variants are issued once per CA.
  const issued = new Map<string, KeyAndCert>();
  const once = (key: string, make: () => KeyAndCert): KeyAndCert => {
    let found = issued.get(key);
    if (!found) {
      found = make();
      issued.set(key, found);
    }
    return found;
  };

  return {
    caCert,
    issue,
    good: (host) => once(`good ${host}`, () => issue({ names: [host] })),
    expired: (host) =>
      once(`expired ${host}`, () => issue({ names: [host], notBefore: new Date(Date.now() - 400 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS) })),
    expiringInDays: (host, days) => once(`days ${days} ${host}`, () => issue({ names: [host], notAfter: new Date(Date.now() + days * DAY_MS) })),
    wrongName: (host) => once(`wrong ${host}`, () => issue({ names: [`other.${host.split('.').slice(1).join('.') || 'invalid'}`] })),
    selfSigned: (host) => once(`self ${host}`, () => issue({ names: [host], selfSigned: true })),
  };
}
