export type WebhookFormat = 'json' | 'slack';

export interface WebhookTarget {
  format: WebhookFormat;
  url: string;
}

export type TargetsResult = { ok: true; targets: WebhookTarget[] } | { ok: false; error: string };

/** Slack and Mattermost incoming webhooks take `{text}`; anything else gets the generic JSON body. */
function autoFormat(url: URL): WebhookFormat {
  return url.hostname === 'hooks.slack.com' || url.pathname.startsWith('/hooks/') ? 'slack' : 'json';
}

/** ALERT_WEBHOOK_URLS: comma list of `json:<url>`, `slack:<url>` or a bare URL (format chosen from the URL). */
export function parseWebhookTargets(list: string[]): TargetsResult {
  const targets: WebhookTarget[] = [];
  for (const item of list) {
    const m = /^(json|slack):(.*)$/i.exec(item);
    const raw = m ? m[2] : item;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, error: `"${item}" is not a URL` };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: `"${item}" must be an http(s) URL` };
    targets.push({ format: m ? (m[1].toLowerCase() as WebhookFormat) : autoFormat(url), url: raw });
  }
  return { ok: true, targets };
}
