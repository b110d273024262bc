const MiB = 1024 * 1024;

export interface MailCaps {
  maxMessageBytes: number;
  maxDecompressedBytes: number;
  /** MIME leaf parts examined per message; the rest are ignored (and said so in the reason). */
  maxParts: number;
}

export const DEFAULT_MAIL_CAPS: MailCaps = { maxMessageBytes: 15 * MiB, maxDecompressedBytes: 20 * MiB, maxParts: 100 };
