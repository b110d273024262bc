export type DateTimeParse = { ok: true; date: Date; zoneMissing: boolean } | { ok: false };

// RFC 3339 date-time; the zone is optional here because Microsoft sent none in 2023 (RPT-DEV-1).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses an RFC 3339 date-time. A missing zone is read as UTC and reported through `zoneMissing`. */
export function parseReportDateTime(text: string): DateTimeParse {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return { ok: false };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false };
  // 60 is a leap second; Date rolls it into the next minute.
  if (hour > 23 || minute > 59 || second > 60) return { ok: false };
  const millis = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const zone = m[8];
  let offsetMinutes = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return { ok: false };
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return { ok: true, date: new Date(date.getTime() - offsetMinutes * 60_000), zoneMissing: zone === undefined };
}
