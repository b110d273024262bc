import type { Advice, Proposal } from '@app/rollout';
import { describe, expect, it } from 'vitest';
import { adviceChanged, sameProposalContent, stabilizeProposal } from './proposal-stability.js';

const BODY = 'version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n';

function proposal(id: string, over: Partial<Proposal> = {}): Proposal {
  return { policy: BODY, txt: `v=STSv1; id=${id}`, mode: 'enforce', mx: ['mx1.example.com'], maxAge: 604800, id, tlsrptTxt: null, ...over };
}

function advice(p: Proposal | null, over: Partial<Advice> = {}): Advice {
  return { state: 'testing', verdict: 'ready-to-enforce', blockers: [], proposed: p, ...over };
}

describe('stabilizeProposal', () => {
  it('keeps the id the operator was shown while the proposal is unchanged', () => {
    const out = stabilizeProposal(advice(proposal('20250102000000')), advice(proposal('20250101000000')), ['20241201000000']);
    expect(out.proposed).toEqual(proposal('20250101000000'));
  });

  it('STS-TXT-11: mints the fresh id once the shown id was used (case-insensitively)', () => {
    const out = stabilizeProposal(advice(proposal('20250102000000')), advice(proposal('2025010100000A')), ['2025010100000a']);
    expect(out.proposed?.id).toBe('20250102000000');
  });

  it('a different body, max_age or verdict gets the fresh id', () => {
    const previous = advice(proposal('20250101000000'));
    expect(stabilizeProposal(advice(proposal('20250102000000', { maxAge: 1209600 })), previous, []).proposed?.id).toBe('20250102000000');
    expect(stabilizeProposal(advice(proposal('20250102000000', { policy: BODY.replace('mx1', 'mx2') })), previous, []).proposed?.id).toBe('20250102000000');
    expect(stabilizeProposal(advice(proposal('20250102000000'), { verdict: 'enforced-ok' }), previous, []).proposed?.id).toBe('20250102000000');
  });

  it('no proposal now, or none before: the fresh advice as it is', () => {
    expect(stabilizeProposal(advice(null), advice(proposal('a1')), []).proposed).toBeNull();
    expect(stabilizeProposal(advice(proposal('b2')), null, []).proposed?.id).toBe('b2');
  });
});

describe('sameProposalContent / adviceChanged', () => {
  it('compares everything but the id', () => {
    expect(sameProposalContent(proposal('a1'), proposal('b2'))).toBe(true);
    expect(sameProposalContent(proposal('a1'), proposal('a1', { tlsrptTxt: 'v=TLSRPTv1; rua=mailto:x@example.com' }))).toBe(false);
    expect(sameProposalContent(null, null)).toBe(true);
    expect(sameProposalContent(null, proposal('a1'))).toBe(false);
  });

  it('advice changes with state, verdict, blocker codes or proposal id, not with message wording', () => {
    const base = advice(proposal('a1'), { blockers: [{ code: 'NO_REPORTS', message: 'day 3', evidence: {} }] });
    expect(adviceChanged(base, null)).toBe(true);
    expect(adviceChanged({ ...base, blockers: [{ code: 'NO_REPORTS', message: 'day 4', evidence: {} }] }, base)).toBe(false);
    expect(adviceChanged({ ...base, blockers: [] }, base)).toBe(true);
    expect(adviceChanged({ ...base, proposed: proposal('b2') }, base)).toBe(true);
    expect(adviceChanged({ ...base, verdict: 'keep-testing' }, base)).toBe(true);
  });
});
