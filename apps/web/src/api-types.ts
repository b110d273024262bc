import type { AdviceLike } from './format.js';

/** `GET /api/domains/:domain/advice` (the fields the pages read). */
export interface AdviceResponse {
  advice: AdviceLike & {
    state: string;
    verdict: string;
    proposed: { policy: string; txt: string; mode: string; mx: string[]; maxAge: number; id: string; tlsrptTxt: string | null } | null;
    blockers: Array<{ code: string; message: string; evidence: Record<string, unknown> }>;
  };
  computedAt?: string;
  nextSteps?: string[];
  openTransition?: { policyId: string; status: string; txt: string; deadline: string } | null;
  alerts?: Array<{ code: string; message: string }>;
  evidence?: { note?: string };
}
