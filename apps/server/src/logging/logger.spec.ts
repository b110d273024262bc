import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

describe('createLogger', () => {
  it('censors credentials wherever the listed paths put them', () => {
    const { lines, destination } = capture();
    const log = createLogger('info', destination);
    log.info({ token: 'stsp_secret', password: 'pw', authorization: 'Bearer a', databaseUrl: 'postgres://u:pw@h/db' }, 'top level');
    log.info({ headers: { authorization: 'Bearer b', host: 'x' }, upstream: { authorization: 'Bearer c' } }, 'one level down');
    expect(lines[0]).toMatchObject({ token: '[redacted]', password: '[redacted]', authorization: '[redacted]', databaseUrl: '[redacted]' });
    expect(lines[1]).toMatchObject({ headers: { authorization: '[redacted]', host: 'x' }, upstream: { authorization: '[redacted]' } });
    expect(JSON.stringify(lines)).not.toMatch(/stsp_secret|Bearer|pw/);
  });

  it("leaves other fields and the caller's object as they were", () => {
    const { lines, destination } = capture();
    const headers = { authorization: 'Bearer d' };
    createLogger('info', destination).info({ id: 'abc', ip: '192.0.2.1', stored: 1, headers }, 'SMTP message accepted');
    expect(lines[0]).toMatchObject({ id: 'abc', ip: '192.0.2.1', stored: 1, msg: 'SMTP message accepted' });
    expect(headers.authorization).toBe('Bearer d');
  });
});
