import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { classifyImapError } from './imap-errors.js';

const at = { host: 'imap.example.com', port: 993, folder: 'TLS Reports' };

describe('classifyImapError: stable codes for the errors imapflow and Node raise', () => {
  it('a NO [AUTHENTICATIONFAILED] login is AUTH_FAILED', () => {
    const e = classifyImapError({ authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED', responseText: 'Authentication failed.' }, at);
    expect([e.code, e.message]).toEqual(['AUTH_FAILED', 'login to imap.example.com:993 was refused: wrong user, password or token (Authentication failed.)']);
  });

  it.each(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID'])('TLS error %s is TLS_CERTIFICATE', (code) => {
    const e = classifyImapError(Object.assign(new Error('x'), { code }), at);
    expect(e.code).toBe('TLS_CERTIFICATE');
    expect(e.message).toContain(code);
  });

  it('SELECT of a missing mailbox is FOLDER_MISSING naming the folder', () => {
    const e = classifyImapError({ mailboxMissing: true, responseText: "Mailbox doesn't exist: TLS Reports" }, at);
    expect([e.code, e.message]).toEqual(['FOLDER_MISSING', 'folder "TLS Reports" does not exist on imap.example.com:993']);
  });

  it.each([
    ['ECONNREFUSED', 'CONNECTION_FAILED'],
    ['ENOTFOUND', 'CONNECTION_FAILED'],
    ['CONNECT_TIMEOUT', 'TIMEOUT'],
    ['GREETING_TIMEOUT', 'TIMEOUT'],
    ['ParserError7', 'IMAP_ERROR'],
  ])('%s is %s', (code, expected) => {
    expect(classifyImapError(Object.assign(new Error('boom'), { code }), at).code).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n, 5_000, 300_000))).toEqual([0, 5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });
});
