import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer.js';

/** One failure-details entry; keyed by its policy and its place in that policy's list (no foreign keys: see migration LeanFailureDetail). */
@Entity('failure_detail')
export class FailureDetailEntity {
  @PrimaryColumn({ name: 'policy_pk', type: 'bigint', transformer: bigintToNumber })
  policyPk: number;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  @Column({ name: 'report_pk', type: 'bigint', transformer: bigintToNumber })
  reportPk: number;

  @Column({ name: 'policy_domain', type: 'text', nullable: true })
  policyDomain: string | null;

  @Column({ type: 'date' })
  day: string;

  @Column({ name: 'result_type', type: 'text' })
  resultType: string;

  @Column({ name: 'failed_session_count', type: 'bigint', transformer: bigintToNumber })
  failedSessionCount: number;

  @Column({ name: 'sending_mta_ip', type: 'text', nullable: true })
  sendingMtaIp: string | null;

  @Column({ name: 'receiving_ip', type: 'text', nullable: true })
  receivingIp: string | null;

  @Column({ name: 'receiving_mx_hostname', type: 'text', nullable: true })
  receivingMxHostname: string | null;

  @Column({ name: 'receiving_mx_helo', type: 'text', nullable: true })
  receivingMxHelo: string | null;

  @Column({ name: 'additional_information', type: 'text', nullable: true })
  additionalInformation: string | null;

  @Column({ name: 'failure_reason_code', type: 'text', nullable: true })
  failureReasonCode: string | null;
}
