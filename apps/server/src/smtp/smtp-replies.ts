/**
 * Every reply this listener sends after RCPT/DATA, in one place, with its enhanced status code (RFC 3463).
 * smtp-server's automatic enhanced codes are switched off so that these are sent exactly as written.
 */
export class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    readonly enhanced: string,
    text: string,
  ) {
    super(`${enhanced} ${text}`);
  }
}

export const replies = {
  accepted: (summary: string) => `2.0.0 ${summary}`,
  recipientOk: '2.1.5 Recipient ok',
  senderOk: '2.1.0 Sender ok',
  domainNotServed: (domain: string) => new SmtpReply(550, '5.7.1', `Relaying denied: this server only accepts TLS reports for its own domains, not ${domain}`),
  unknownLocalPart: (address: string) => new SmtpReply(550, '5.1.1', `No such mailbox: ${address}`),
  tooManyRecipients: (max: number) => new SmtpReply(452, '4.5.3', `Too many recipients (at most ${max} per message)`),
  messageTooBig: (max: number) => new SmtpReply(552, '5.3.4', `Message exceeds the maximum size of ${max} bytes`),
  noReport: (reason: string) => new SmtpReply(550, '5.6.0', `No TLS report found in this message: ${reason}`),
  temporaryFailure: () => new SmtpReply(451, '4.3.0', 'Temporary failure storing the report, please retry later'),
  connectionRateExceeded: () => new SmtpReply(421, '4.7.0', 'Too many connections from your address in the last minute, try again later'),
  dataTimeout: '4.4.2 Message transfer took too long, closing connection',
  tooManyConnections: () => new SmtpReply(421, '4.7.0', 'Too many connections from your address, try again later'),
};
