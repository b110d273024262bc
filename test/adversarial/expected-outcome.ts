/**
 * The outcome a hostile case must end with: the exact SMTP reply to DATA (code, enhanced code, text or its
 * start) and what the database must then hold for that message (matched on its envelope sender).
 */
export interface ExpectedOutcome {
  code: number;
  enhanced: string;
  /** The reply text after the enhanced code, exactly. */
  text?: string;
  /** Or its start, when the rest names a library's detail (e.g. a parser message). */
  textStartsWith?: string;
  /** Report rows that must exist for this message afterwards. */
  reports: number;
  /** Quarantine reason codes for this message, sorted. */
  quarantine: string[];
  /** A short label for the outcome table. */
  label: string;
}

export function stored(reports: number, duplicates = 0): ExpectedOutcome {
  const parts = [reports && `${reports} report(s) stored`, duplicates && `${duplicates} duplicate(s) ignored`].filter(Boolean);
  return { code: 250, enhanced: '2.0.0', text: parts.join(', '), reports, quarantine: [], label: '250 stored' };
}

/** Some reports stored and some parts quarantined in the same message. */
export function storedAndQuarantined(reports: number, codes: string[]): ExpectedOutcome {
  return {
    code: 250,
    enhanced: '2.0.0',
    text: `${reports} report(s) stored, ${codes.length} quarantined`,
    reports,
    quarantine: [...codes].sort(),
    label: '250 stored+quarantined',
  };
}

export function quarantined(...codes: string[]): ExpectedOutcome {
  return { code: 250, enhanced: '2.0.0', text: `${codes.length} quarantined`, reports: 0, quarantine: [...codes].sort(), label: `250 quarantine ${[...new Set(codes)].join('+')}` };
}

export function noReport(reasonStart = ''): ExpectedOutcome {
  return { code: 550, enhanced: '5.6.0', textStartsWith: `No TLS report found in this message: ${reasonStart}`, reports: 0, quarantine: [], label: '550 5.6.0 no report' };
}

export function tooBig(maxBytes: number): ExpectedOutcome {
  return { code: 552, enhanced: '5.3.4', text: `Message exceeds the maximum size of ${maxBytes} bytes`, reports: 0, quarantine: [], label: '552 5.3.4 too big' };
}
