import { freshPolicyId, policyBody, stsTxt, type StsPolicy } from './sts-records.js';
import type { Proposal, ProposedMode } from './rollout.types.js';

/** Every id the TXT strings carry, read loosely so that even a malformed record's id is never reused. */
export function idsInTxt(txts: string[]): string[] {
  return txts.flatMap((txt) => [...txt.matchAll(/id=([A-Za-z0-9]+)/g)].map((m) => m[1]));
}

/** Builds the next thing to publish: a complete body, a TXT with an id never seen before, and a TLS-RPT record when none is live. */
export class Proposer {
  constructor(
    private readonly now: Date,
    private readonly usedIds: ReadonlySet<string>,
    private readonly tlsRptTxt: string | null,
  ) {}

  propose(base: Pick<StsPolicy, 'extensions'> | null, mode: ProposedMode, mx: string[], maxAge: number): Proposal {
    const id = freshPolicyId(this.now, this.usedIds);
    const policy: StsPolicy = { version: 'STSv1', mode, mx: [...mx], maxAge, extensions: { ...(base?.extensions ?? {}) } };
    return { policy: policyBody(policy), txt: stsTxt(id), mode, mx: [...mx], maxAge, id, tlsrptTxt: this.tlsRptTxt };
  }

  /** The same policy under a new id. */
  reissue(policy: StsPolicy): Proposal {
    return this.propose(policy, policy.mode, policy.mx, policy.maxAge);
  }
}
