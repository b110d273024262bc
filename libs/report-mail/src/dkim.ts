import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { sameOrganizationalDomain } from './report-headers.js';

export type DkimResultKind = 'pass' | 'fail' | 'none' | 'temperror';

export interface DkimVerdict {
  result: DkimResultKind;
  /** True when a passing signature (without `l=`) belongs to the reporting domain or its organizational domain. */
  aligned: boolean;
  domain: string | null;
  selector: string | null;
  reason: string;
  checkedAt: Date;
}

export type DkimResolver = (name: string, rrtype: string) => Promise<unknown>;

/** RPT-DLV-6: a report needs a valid DKIM signature from the reporting domain; `l=` is not allowed. */
export async function verifyReportDkim(
  raw: Buffer,
  opts: { resolver?: DkimResolver; reportingDomain: string | null; now?: Date },
): Promise<DkimVerdict> {
  const checkedAt = opts.now ?? new Date();
  if (!mayCarrySignature(raw)) return { result: 'none', aligned: false, domain: null, selector: null, reason: 'no DKIM signature', checkedAt };
  let results: Array<{ signingDomain: string; selector?: string; status: { result: string; comment?: string | false }; canonBodyLengthLimited?: boolean }>;
  try {
    const out = await dkimVerify(raw, { resolver: opts.resolver as never, curTime: checkedAt });
    results = (out.results ?? []) as typeof results;
  } catch (err) {
    return { result: 'temperror', aligned: false, domain: null, selector: null, reason: `DKIM check failed: ${err instanceof Error ? err.message : String(err)}`, checkedAt };
  }
  const signatures = results.filter((r) => r.signingDomain);
  if (signatures.length === 0) return { result: 'none', aligned: false, domain: null, selector: null, reason: 'no DKIM signature', checkedAt };

  const passing = signatures.filter((r) => r.status.result === 'pass');
  const domain = opts.reportingDomain;
  const aligned = passing.find((r) => !r.canonBodyLengthLimited && domain !== null && sameOrganizationalDomain(r.signingDomain, domain));
  if (aligned) {
    return { result: 'pass', aligned: true, domain: aligned.signingDomain, selector: aligned.selector ?? null, reason: `valid signature by ${aligned.signingDomain}`, checkedAt };
  }
  if (passing.length) {
    const p = passing[0];
    const why = p.canonBodyLengthLimited
      ? 'it uses l= (a body length limit), which RPT-DLV-6 forbids'
      : `its domain does not match the reporting domain ${domain ?? '(unknown)'}`;
    return { result: 'pass', aligned: false, domain: p.signingDomain, selector: p.selector ?? null, reason: `valid signature by ${p.signingDomain}, but ${why}`, checkedAt };
  }
  const temp = signatures.find((r) => r.status.result === 'temperror');
  const first = temp ?? signatures[0];
  return {
    result: temp ? 'temperror' : 'fail',
    aligned: false,
    domain: first.signingDomain,
    selector: first.selector ?? null,
    reason: `signature by ${first.signingDomain} did not verify: ${first.status.comment || first.status.result}`,
    checkedAt,
  };
}

/**
 * Only a DKIM-Signature (or ARC) header can make the verdict anything but `none`. dkimVerify reads the whole message
 * to find out, which is most of the cost of checking an unsigned one; this looks at the header block only (up to the
 * first empty line, as mailauth does) and errs towards running the full check.
 */
function mayCarrySignature(raw: Buffer): boolean {
  const ends = [raw.indexOf('\n\n'), raw.indexOf('\n\r\n')].filter((i) => i >= 0);
  const headerEnd = ends.length ? Math.min(...ends) + 1 : raw.length;
  return /dkim-signature|arc-/i.test(raw.toString('latin1', 0, headerEnd));
}
