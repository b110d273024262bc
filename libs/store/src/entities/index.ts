import { ApiTokenEntity } from './api-token.entity.js';
import { FailureDetailEntity } from './failure-detail.entity.js';
import { QuarantineEntity } from './quarantine.entity.js';
import { RawMessageEntity } from './raw-message.entity.js';
import { ReportPolicyEntity } from './report-policy.entity.js';
import { ReportEntity } from './report.entity.js';
import { DailyFailureRollupEntity, DailyPolicyRollupEntity } from './rollup.entity.js';

export {
  ApiTokenEntity,
  DailyFailureRollupEntity,
  DailyPolicyRollupEntity,
  FailureDetailEntity,
  QuarantineEntity,
  RawMessageEntity,
  ReportEntity,
  ReportPolicyEntity,
};
export type { DkimResult } from './raw-message.entity.js';
export type { TokenScope } from './api-token.entity.js';

export const entities = [
  RawMessageEntity,
  ReportEntity,
  ReportPolicyEntity,
  FailureDetailEntity,
  QuarantineEntity,
  DailyPolicyRollupEntity,
  DailyFailureRollupEntity,
  ApiTokenEntity,
];
