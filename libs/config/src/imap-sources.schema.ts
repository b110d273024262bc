import { z } from 'zod';

const oauth2Schema = z.discriminatedUnion('provider', [
  z
    .object({
      provider: z.literal('microsoft'),
      /** Directory (tenant) id or domain; the client-credentials grant needs it. */
      tenant: z.string().min(1),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      /** Overrides the Microsoft identity platform endpoint (tests, sovereign clouds). */
      tokenUrl: z.url().optional(),
    })
    .strict(),
  z
    .object({
      provider: z.literal('google'),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      refreshToken: z.string().min(1),
      tokenUrl: z.url().optional(),
    })
    .strict(),
]);

/** A mailbox name as the server spells it; the hierarchy delimiter is the server's. */
const folder = z.string().trim().min(1);

export const imapSourceSchema = z
  .object({
    /** Recorded as `imap:<name>` on every stored message, and names the source in the CLI and at /api/sources. */
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'must be 1-63 letters, digits, ".", "_" or "-"'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    tls: z.enum(['implicit', 'starttls']).default('implicit'),
    rejectUnauthorized: z.boolean().default(true),
    caFile: z.string().min(1).optional(),
    user: z.string().min(1),
    password: z.string().min(1).optional(),
    oauth2: oauth2Schema.optional(),
    folder: folder.default('INBOX'),
    processedFolder: folder.default('TLSRPT-Processed'),
    nonReportFolder: folder.default('TLSRPT-Not-a-report'),
    move: z.boolean().default(true),
    pollSeconds: z.number().int().min(5).max(86_400).default(300),
  })
  .strict()
  .refine((s) => (s.password === undefined) !== (s.oauth2 === undefined), {
    message: 'give exactly one of password or oauth2',
    path: ['password'],
  })
  // Moved messages get new UIDs above the remembered one: moving into the folder read would read them forever.
  .refine((s) => !s.move || s.processedFolder !== s.folder, { message: 'must differ from folder when move is on', path: ['processedFolder'] })
  .refine((s) => !s.move || s.nonReportFolder !== s.folder, { message: 'must differ from folder when move is on', path: ['nonReportFolder'] })
  .transform((s) => ({ ...s, port: s.port ?? (s.tls === 'implicit' ? 993 : 143) }));

export const imapSourcesSchema = z.array(imapSourceSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((s, i) => {
    if (seen.has(s.name)) ctx.addIssue({ code: 'custom', message: `duplicate source name "${s.name}"`, path: [i, 'name'] });
    seen.add(s.name);
  });
});

export type ImapSourceConfig = z.infer<typeof imapSourceSchema>;
export type ImapOAuth2Config = z.infer<typeof oauth2Schema>;

/**
 * Parses one JSON list of sources. The error is one line naming the field, e.g. `[1].port: Too big...`;
 * secrets are never echoed back.
 */
export function parseImapSources(text: string): { ok: true; sources: ImapSourceConfig[] } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not valid JSON (${(err as Error).message.split('\n')[0]})` };
  }
  const parsed = imapSourcesSchema.safeParse(json);
  if (parsed.success) return { ok: true, sources: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return { ok: false, error: `${path.replace(/^\./, '') || '(list)'}: ${issue.message}` };
}
