import type { AlertCandidate } from './alert.types.js';

/** The generic JSON webhook body of one alert. */
export function alertJsonBody(a: AlertCandidate, sentAt: Date): Record<string, unknown> {
  return {
    type: 'alert',
    kind: a.kind,
    domain: a.domain,
    subject: a.subject,
    message: a.message,
    evidence: a.evidence,
    link: a.link,
    sentAt: sentAt.toISOString(),
  };
}

function evidenceLines(evidence: Record<string, string | number>): string[] {
  return Object.entries(evidence).map(([k, v]) => `• ${k}: ${v}`);
}

/** Plain text: the Slack/Mattermost `{text}` body and the mail body. */
export function alertText(a: AlertCandidate): string {
  return [`[STS Pilot] ${a.domain}: ${a.kind}`, a.message, ...evidenceLines(a.evidence), `Dashboard: ${a.link}`].join('\n');
}

export function alertMailSubject(a: AlertCandidate): string {
  return `[STS Pilot] ${a.domain}: ${a.kind} (${a.subject})`;
}
