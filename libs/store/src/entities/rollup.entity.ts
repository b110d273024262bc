import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer.js';

/** Sessions per UTC day of a report's start-datetime, maintained in the ingest transaction. */
@Entity('daily_policy_rollup')
export class DailyPolicyRollupEntity {
  @PrimaryColumn({ name: 'policy_domain', type: 'text' })
  policyDomain: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'text' })
  organization: string;

  @PrimaryColumn({ name: 'policy_type', type: 'text' })
  policyType: string;

  @Column({ name: 'successful_sessions', type: 'bigint', transformer: bigintToNumber })
  successfulSessions: number;

  @Column({ name: 'failed_sessions', type: 'bigint', transformer: bigintToNumber })
  failedSessions: number;

  @Column({ type: 'integer' })
  reports: number;
}

@Entity('daily_failure_rollup')
export class DailyFailureRollupEntity {
  @PrimaryColumn({ name: 'policy_domain', type: 'text' })
  policyDomain: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'text' })
  organization: string;

  @PrimaryColumn({ name: 'result_type', type: 'text' })
  resultType: string;

  @PrimaryColumn({ name: 'receiving_mx', type: 'text' })
  receivingMx: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  sessions: number;
}
