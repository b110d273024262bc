import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { APP_CONFIG } from '../config/config.module.js';
import { LOGGER } from '../logging/logging.module.js';
import type { Delivery } from './alert-store.js';

/** One message in the three forms the channels take. */
export interface Outgoing {
  json: Record<string, unknown>;
  text: string;
  mailSubject: string;
}

const WEBHOOK_TIMEOUT_MS = 10_000;

/** Sends to every configured channel; a failing channel is recorded, never thrown, so the others still get it. */
@Injectable()
export class AlertDelivery {
  private readonly mailer: Transporter | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    const { smtpUrl, mailTo } = config.alerts;
    this.mailer = smtpUrl && mailTo.length ? nodemailer.createTransport(smtpUrl) : null;
  }

  async send(msg: Outgoing): Promise<Delivery[]> {
    const webhooks = this.config.alerts.webhooks.map((t) => this.post(t.format, t.url, t.format === 'slack' ? { text: msg.text } : msg.json));
    const mail = this.mailer ? [this.mail(msg)] : [];
    return Promise.all([...webhooks, ...mail]);
  }

  private async post(format: string, url: string, body: unknown): Promise<Delivery> {
    const channel = `${format}:${new URL(url).host}`;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'sts-pilot-alerts' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) this.log.warn({ channel, status: res.status }, 'Alert webhook refused the message');
      return { channel, ok: res.ok, status: res.status };
    } catch (err) {
      this.log.warn({ err, channel }, 'Alert webhook failed');
      return { channel, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private async mail(msg: Outgoing): Promise<Delivery> {
    const channel = `mail:${this.config.alerts.mailTo.join(',')}`;
    try {
      await this.mailer!.sendMail({ from: this.config.alerts.mailFrom, to: this.config.alerts.mailTo, subject: msg.mailSubject, text: msg.text });
      return { channel, ok: true };
    } catch (err) {
      this.log.warn({ err, channel }, 'Alert mail failed');
      return { channel, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }
}
