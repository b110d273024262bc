// Issue 10: alerts by mail (ALERT_MAIL_TO through ALERT_SMTP_URL), next to the webhooks.
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../apps/server/src/alerts/alerts.service.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const DAY_MS = 86_400_000;

describe('alerts by mail', () => {
  let smtp: SMTPServer;
  let app: TestApp;
  const mails: Array<{ from: string; to: string[]; raw: Buffer }> = [];
  let now = new Date('2026-03-10T06:00:00Z');

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    app = await bootTestApp(
      { ALERT_MAIL_TO: 'ops@example.net,Oncall@Example.net', ALERT_SMTP_URL: `smtp://127.0.0.1:${port}`, ALERT_MAIL_FROM: 'pilot@example.net', PUBLIC_BASE_URL: 'https://pilot.example.net' },
      { clock: () => now },
    );
  });
  afterAll(async () => {
    await app?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('ALERT_NO_REPORT_DAYS: the silence alert arrives as a text mail with the evidence and the dashboard link', async () => {
    const reg = await app.api('/api/domains', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ domain: 'silent.test' }) });
    expect(reg.status).toBe(201);
    now = new Date(now.getTime() + 4 * DAY_MS);
    const sent = await app.server.app.get(AlertsService).evaluateAll();
    expect(sent).toEqual({ domains: 1, alerts: 1, failed: [] });
    expect(mails.map((m) => [m.from, m.to])).toEqual([['pilot@example.net', ['ops@example.net', 'oncall@example.net']]]);
    const parsed = await simpleParser(mails[0].raw);
    expect(parsed.subject).toBe('[STS Pilot] silent.test: no-reports (since:never)');
    expect(parsed.text?.trim()).toBe(
      [
        '[STS Pilot] silent.test: no-reports',
        'No TLS-RPT report for silent.test has arrived for 4 day(s) (last: never); check the rua address in _smtp._tls.silent.test and that mail to it reaches STS Pilot.',
        '• lastReportAt: never',
        '• days: 4',
        '• thresholdDays: 3',
        'Dashboard: https://pilot.example.net/domains/silent.test',
      ].join('\n'),
    );
    const listed = await app.json('/api/alerts');
    expect(listed.items[0].deliveries).toEqual([{ channel: 'mail:ops@example.net,oncall@example.net', ok: true }]);
  });
});
