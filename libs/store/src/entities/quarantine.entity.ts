import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer.js';

@Entity('quarantine')
export class QuarantineEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber })
  @Generated('increment')
  id: number;

  @Column({ name: 'raw_message_id', type: 'bigint', transformer: bigintToNumber })
  rawMessageId: number;

  /** SHA-256 of the raw message's bytes: a message holding only unparseable parts is deduped on it. */
  @Column({ name: 'raw_sha256', type: 'bytea', select: false })
  rawSha256: Buffer;

  @Column({ name: 'part_index', type: 'integer', nullable: true })
  partIndex: number | null;

  @Column({ name: 'reason_code', type: 'text' })
  reasonCode: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'report_text', type: 'text', nullable: true, select: false })
  reportText: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'resolved_report_pk', type: 'bigint', nullable: true, transformer: bigintToNumber })
  resolvedReportPk: number | null;
}
