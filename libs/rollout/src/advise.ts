import { checkLiveRecords, type LiveRecords } from './live-checks.js';
import { checkMx, normalizeHost, type MxAssessment } from './mx-checks.js';
import { checkIdBumped, readPublished, removalTime, resolveCurrent, type CurrentPolicy, type HistoryEntry } from './policy-history.js';
import { idsInTxt, Proposer } from './proposal.js';
import { assessReports, type ReportedEntry } from './report-evidence.js';
import { assertReportAddress, resolveRolloutSettings, type RolloutSettings } from './rollout-settings.js';
import { DAY_MS, rfc3339 } from './rollout-time.js';
import {
  DEPLOYMENT_BLOCKERS,
  type Advice,
  type Blocker,
  type BlockerCode,
  type Proposal,
  type RolloutInput,
  type RolloutState,
} from './rollout.types.js';
import { tlsRptTxt, type StsPolicy } from './sts-records.js';
import { checkTestingDwell } from './testing-dwell.js';

interface Situation {
  input: RolloutInput;
  domain: string;
  settings: RolloutSettings;
  live: LiveRecords;
  history: HistoryEntry[];
  current: CurrentPolicy;
  proposer: Proposer;
}

const has = (blockers: Blocker[], ...codes: BlockerCode[]) => blockers.some((b) => codes.includes(b.code));
const isDeployment = (b: Blocker) => DEPLOYMENT_BLOCKERS.includes(b.code);

export function stateOf(policy: StsPolicy | null): RolloutState {
  if (policy === null) return 'none';
  return policy.mode === 'none' ? 'retiring' : policy.mode;
}

/** DNS hosts the live policy does not cover yet, added only when their probe is clean (FORMAT.md). */
function unionMx(policy: StsPolicy, mx: MxAssessment): string[] | null {
  const added = mx.uncovered.filter((host) => mx.clean.has(host));
  return added.length === 0 ? null : [...policy.mx, ...added];
}

function adviseNone(s: Situation): Advice {
  const mx = checkMx(s.domain, s.input.observed.mx, s.input.observed.mxProbes, null);
  // A v=STSv1 record shows an attempted deployment: say why it does not count as a policy.
  const attempted = s.input.observed.mtaStsTxt.some((t) => t.startsWith('v=STSv1'));
  const liveBlockers = attempted ? s.live.blockers.filter((b) => b.code !== 'TLSRPT_MISSING') : [];
  const hosts = mx.hosts.filter((host) => mx.clean.has(host));
  const proposed = mx.mxInvalid || hosts.length === 0 ? null : s.proposer.propose(null, 'testing', hosts, s.settings.testingMaxAge);
  return { state: 'none', verdict: 'start-testing', blockers: [...liveBlockers, ...mx.blockers], proposed };
}

function adviseRetiring(s: Situation): Advice {
  const removeAfter = removalTime(s.history, s.input.now);
  if (s.input.now.getTime() >= removeAfter.getTime()) {
    return { state: 'retiring', verdict: 'safe-to-remove', blockers: [], proposed: null, removeAfter: rfc3339(removeAfter) };
  }
  // Until then the TXT and the mode-none policy must keep serving (ROLL-13).
  const idBlocker = checkIdBumped(s.history, s.current.id, s.input.now, s.settings.pendingDeadlineHours);
  const blockers = [...s.live.blockers.filter((b) => b.code !== 'TLSRPT_MISSING'), ...(idBlocker ? [idBlocker] : [])];
  return { state: 'retiring', verdict: 'retire-wait', blockers, proposed: null, removeAfter: rfc3339(removeAfter) };
}

/** ROLL-9: enforce clean (no failed session) for `steadyAfterCleanDays`, with current-policy reports in that span. */
function steadyDue(s: Situation, policy: StsPolicy, current: ReportedEntry[]): boolean {
  const { steadyAfterCleanDays, steadyEnforceMaxAge } = s.settings;
  if (policy.maxAge >= steadyEnforceMaxAge) return false;
  const since = s.input.now.getTime() - steadyAfterCleanDays * DAY_MS;
  if (s.current.firstSeen.getTime() > since) return false;
  const recent = current.filter((e) => e.end.getTime() > since);
  return recent.some((e) => e.sessions > 0) && recent.every((e) => e.failed === 0);
}

function adviseLive(s: Situation, state: 'testing' | 'enforce', policy: StsPolicy): Advice {
  const { input, settings, proposer } = s;
  const mx = checkMx(s.domain, input.observed.mx, input.observed.mxProbes, policy.mx);
  const idBlocker = checkIdBumped(s.history, s.current.id, input.now, settings.pendingDeadlineHours);
  const dwell = state === 'testing' ? checkTestingDwell(s.current.id, policy, s.current.firstSeen, input.now, settings) : null;
  const reports = assessReports(input.reports, {
    domain: s.domain,
    now: input.now,
    currentId: s.current.id,
    policy,
    firstSeen: s.current.firstSeen,
    mode: state,
    settings,
  });
  const blockers = [
    ...s.live.blockers,
    ...(idBlocker ? [idBlocker] : []),
    ...mx.blockers,
    ...(dwell ? [dwell] : []),
    ...reports.blockers,
  ];
  const deployment = blockers.some(isDeployment);
  const reissue = (): Proposal | null => (idBlocker !== null && !mx.mxInvalid ? proposer.reissue(policy) : null);
  const withUnion = (mode: 'testing' | 'enforce'): Proposal | null => {
    const union = unionMx(policy, mx);
    return union === null ? null : proposer.propose(policy, mode, union, policy.maxAge);
  };
  const advice = (verdict: Advice['verdict'], proposed: Proposal | null): Advice => ({ state, verdict, blockers, proposed });

  if (state === 'testing') {
    if (deployment) return advice('fix-deployment', reissue());
    if (blockers.length > 0) return advice('keep-testing', has(blockers, 'MX_NOT_COVERED') ? withUnion('testing') : null);
    return advice('ready-to-enforce', proposer.propose(policy, 'enforce', policy.mx, settings.firstEnforceMaxAge));
  }

  if (has(blockers, 'REPORTED_TLS_FAILURES', 'MX_TLS_FAILED')) {
    return advice('rollback', mx.mxInvalid ? null : proposer.propose(policy, 'testing', policy.mx, settings.testingMaxAge));
  }
  if (has(blockers, 'MX_NOT_COVERED')) return advice('update-mx', withUnion('enforce'));
  if (deployment || has(blockers, 'NO_REPORTS')) return advice('fix-deployment', reissue());
  const steady = blockers.length === 0 && steadyDue(s, policy, reports.current);
  return advice('enforced-ok', steady ? proposer.propose(policy, 'enforce', policy.mx, settings.steadyEnforceMaxAge) : null);
}

/**
 * The evidence-gated rollout decision for one domain at `input.now` (shared/scenarios/FORMAT.md).
 * Pure: no clock, no I/O. Throws RolloutSettingsError on unusable settings.
 */
export function advise(input: RolloutInput, overrides?: Partial<RolloutSettings>): Advice {
  const settings = resolveRolloutSettings(overrides);
  const reportAddress = input.reportAddress ?? settings.reportAddress;
  assertReportAddress(reportAddress, 'reportAddress');
  if (Number.isNaN(input.now.getTime())) throw new TypeError('advise: input.now is not a valid date');

  const domain = normalizeHost(input.domain);
  const suggestedTlsRpt = tlsRptTxt(reportAddress);
  const { observed } = input;
  const live = checkLiveRecords(domain, observed.mtaStsTxt, observed.tlsrptTxt, observed.policyFetch, suggestedTlsRpt);
  const { history, current } = resolveCurrent(readPublished(input.published), live.txtId, live.servedPolicy, input.now);
  const usedIds = new Set([
    ...idsInTxt(input.published.map((e) => e.txt)),
    ...idsInTxt(observed.mtaStsTxt),
    ...history.flatMap((e) => (e.id === null ? [] : [e.id])),
    ...(current.id === null ? [] : [current.id]),
  ]);
  const proposer = new Proposer(input.now, usedIds, live.tlsRptValid ? null : suggestedTlsRpt);
  const situation: Situation = { input, domain, settings, live, history, current, proposer };

  const state = stateOf(current.policy);
  if (state === 'none' || current.policy === null) return adviseNone(situation);
  if (state === 'retiring') return adviseRetiring(situation);
  return adviseLive(situation, state, current.policy);
}
