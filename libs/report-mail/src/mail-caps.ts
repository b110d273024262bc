const MiB = 1024 * 1024;

export interface MailCaps {
  /** Raw message size; the transport enforces it first, extraction refuses to parse anything larger. */
  maxMessageBytes: number;
  /** Decompressed (or plain) report bytes per part, summed over the entries of a zip. */
  maxDecompressedBytes: number;
  /** MIME leaf parts examined per message; the rest are ignored (and said so in the reason). */
  maxParts: number;
}

export const DEFAULT_MAIL_CAPS: MailCaps = { maxMessageBytes: 15 * MiB, maxDecompressedBytes: 20 * MiB, maxParts: 100 };

/** A cap of 0, NaN, a negative number or a non-number would silently turn a limit off: that is a bug, so throw. */
export function requirePositiveCap(name: keyof MailCaps, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`report-mail: ${name} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}
