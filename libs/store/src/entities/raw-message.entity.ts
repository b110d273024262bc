import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer.js';

export type DkimResult = 'pass' | 'fail' | 'none' | 'temperror' | 'not-verified';

@Entity('raw_message')
export class RawMessageEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber })
  @Generated('increment')
  id: number;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'bytea', select: false })
  sha256: Buffer;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes: number;

  @Column({ type: 'bytea', select: false })
  bytes: Buffer;

  @Column({ type: 'jsonb' })
  envelope: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  headers: Record<string, unknown>;

  @Column({ name: 'dkim_result', type: 'text' })
  dkimResult: DkimResult;

  @Column({ name: 'dkim_aligned', type: 'boolean' })
  dkimAligned: boolean;

  @Column({ name: 'dkim_domain', type: 'text', nullable: true })
  dkimDomain: string | null;

  @Column({ name: 'dkim_reason', type: 'text', nullable: true })
  dkimReason: string | null;

  @Column({ name: 'dkim_checked_at', type: 'timestamptz', nullable: true })
  dkimCheckedAt: Date | null;
}
