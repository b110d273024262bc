import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer.js';

@Entity('report_policy')
export class ReportPolicyEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber })
  @Generated('increment')
  id: number;

  @Column({ name: 'report_pk', type: 'bigint', transformer: bigintToNumber })
  reportPk: number;

  @Column({ type: 'integer' })
  position: number;

  @Column({ name: 'policy_type', type: 'text' })
  policyType: string;

  @Column({ name: 'policy_domain', type: 'text', nullable: true })
  policyDomain: string | null;

  @Column({ name: 'policy_string', type: 'text', array: true })
  policyString: string[];

  @Column({ name: 'mx_host', type: 'text', array: true })
  mxHost: string[];

  @Column({ name: 'successful_sessions', type: 'bigint', transformer: bigintToNumber })
  successfulSessions: number;

  @Column({ name: 'failed_sessions', type: 'bigint', transformer: bigintToNumber })
  failedSessions: number;

  @Column({ name: 'counts_toward_rates', type: 'boolean' })
  countsTowardRates: boolean;
}
