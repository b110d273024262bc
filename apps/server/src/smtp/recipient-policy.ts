import { replies, type SmtpReply } from './smtp-replies.js';

/** RCPT TO is accepted only at our own report domains (and listed local-parts, when configured). We never relay. */
export function checkRecipient(address: string, domains: string[], localParts: string[]): SmtpReply | null {
  const at = address.lastIndexOf('@');
  if (at < 1) return replies.unknownLocalPart(address);
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase().replace(/\.$/, '');
  if (!domains.includes(domain)) return replies.domainNotServed(domain);
  if (localParts.length > 0 && !localParts.includes(local)) return replies.unknownLocalPart(address);
  return null;
}
