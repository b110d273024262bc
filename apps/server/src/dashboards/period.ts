import { BadRequestException } from '@nestjs/common';
import { MAX_PERIOD_DAYS } from './dashboards.query.js';

export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Days of a period, both ends included; `to` defaults to today (UTC), `from` to 29 days before `to`. */
export function resolvePeriod(q: { from?: string; to?: string }, now: Date): Period {
  const to = q.to ?? now.toISOString().slice(0, 10);
  const from = q.from ?? addDays(to, -29);
  const span = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (span < 1) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', field: 'from', message: 'from: must not be after to' });
  if (span > MAX_PERIOD_DAYS) {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', field: 'from', message: `from: a period spans at most ${MAX_PERIOD_DAYS} days` });
  }
  return { from, to };
}

export function daysOf(p: Period): string[] {
  const out: string[] = [];
  const last = Date.parse(`${p.to}T00:00:00Z`);
  for (let t = Date.parse(`${p.from}T00:00:00Z`); t <= last; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
