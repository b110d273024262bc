import { parseReport } from '@app/tlsrpt';
import { z } from 'zod';
import { advise } from './advise.js';
import type { RolloutSettings } from './rollout-settings.js';
import type { Advice, RolloutInput } from './rollout.types.js';

const dateTime = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

const scenarioSchema = z.object({
  now: dateTime,
  domain: z.string().min(1),
  published: z.array(z.object({ at: dateTime, txt: z.string(), policy: z.string() })),
  observed: z.object({
    mx: z.array(z.string()),
    mtaStsTxt: z.array(z.string()),
    tlsrptTxt: z.array(z.string()),
    policyFetch: z.object({
      status: z.number().int().nullable(),
      contentType: z.string().nullable().default(null),
      redirected: z.boolean().default(false),
      certValid: z.boolean().nullable(),
      body: z.string().nullable().default(null),
    }),
    mxProbes: z.array(
      z.object({
        host: z.string(),
        starttls: z.boolean().nullable(),
        certValid: z.boolean().nullable(),
        certNames: z.array(z.string()).default([]),
        error: z.string().nullable().default(null),
      }),
    ),
  }),
  reports: z.array(z.unknown()).default([]),
  reportAddress: z.string().optional(),
});

export interface SkippedReport {
  index: number;
  code: string;
  reason: string;
}

export type ScenarioAdvice =
  | { ok: true; advice: Advice; skippedReports: SkippedReport[] }
  | { ok: false; code: 'SCENARIO_INVALID'; issues: string[] };

/**
 * Runs a scenario file's input (shared/scenarios/FORMAT.md; `expect` and other extra fields are
 * ignored). Raw reports go through the lenient parser; one that fails to parse is skipped and never
 * counts as evidence.
 */
export function adviseFromScenario(json: unknown, settings?: Partial<RolloutSettings>): ScenarioAdvice {
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, code: 'SCENARIO_INVALID', issues };
  }
  const scenario = parsed.data;
  const reports: RolloutInput['reports'] = [];
  const skippedReports: SkippedReport[] = [];
  scenario.reports.forEach((raw, index) => {
    const report = parseReport(raw);
    if (report.ok) reports.push(report.report);
    else skippedReports.push({ index, code: report.code, reason: report.reason });
  });
  const input: RolloutInput = { ...scenario, reports };
  return { ok: true, advice: advise(input, settings), skippedReports };
}
