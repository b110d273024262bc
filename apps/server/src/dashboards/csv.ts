/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is prefixed with ' so spreadsheets do not run it. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

export function toCsv(columns: readonly string[], rows: Array<Record<string, unknown>>): string {
  return csvLine([...columns]) + rows.map((r) => csvLine(columns.map((c) => r[c]))).join('');
}
