import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer.js';

@Entity('report')
export class ReportEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber })
  @Generated('increment')
  id: number;

  @Column({ name: 'raw_message_id', type: 'bigint', transformer: bigintToNumber })
  rawMessageId: number;

  @Column({ name: 'dedupe_org', type: 'text' })
  dedupeOrg: string;

  @Column({ name: 'organization_name', type: 'text', nullable: true })
  organizationName: string | null;

  @Column({ name: 'submitter_domain', type: 'text', nullable: true })
  submitterDomain: string | null;

  @Column({ name: 'report_id', type: 'text' })
  reportId: string;

  @Column({ name: 'date_start', type: 'timestamptz' })
  dateStart: Date;

  @Column({ name: 'date_end', type: 'timestamptz' })
  dateEnd: Date;

  @Column({ type: 'date' })
  day: string;

  @Column({ name: 'contact_info', type: 'text', nullable: true })
  contactInfo: string | null;

  @Column({ type: 'jsonb' })
  warnings: Array<{ code: string; message: string; path?: string }>;

  /** Reports stored before `report_gz` existed; newer rows have null here. */
  @Column({ name: 'report_text', type: 'text', nullable: true, select: false })
  reportText: string | null;

  /** The report JSON, gzip-compressed (`decodeStoredReport` in `@app/report-mail` reads it). */
  @Column({ name: 'report_gz', type: 'bytea', nullable: true, select: false })
  reportGz: Buffer | null;

  @Column({ type: 'boolean' })
  authenticated: boolean;

  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'duplicate_deliveries', type: 'integer' })
  duplicateDeliveries: number;
}
