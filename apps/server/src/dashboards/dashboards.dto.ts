import { ApiProperty } from '@nestjs/swagger';

// Response shapes for the OpenAPI document; the services return plain objects of exactly these shapes.

export class PeriodDto {
  @ApiProperty({ example: '2024-01-01', description: 'First day (UTC), included' }) from!: string;
  @ApiProperty({ example: '2024-01-30', description: 'Last day (UTC), included' }) to!: string;
}

export class DomainOverviewDto {
  @ApiProperty({ example: 'example.com' }) domain!: string;
  @ApiProperty() successfulSessions!: number;
  @ApiProperty() failedSessions!: number;
  @ApiProperty() totalSessions!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'failed / total, null without sessions' }) failureRate!: number | null;
  @ApiProperty({ description: 'Policy entries rolled up (one per report and policy)' }) reports!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastReportAt!: string | null;
  @ApiProperty({ type: [String] }) organizations!: string[];
  @ApiProperty({ type: Object, nullable: true, description: 'Rollout state and verdict; always null until the advice engine is joined here' })
  advice!: null;
}

export class DomainsOverviewDto {
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ type: [DomainOverviewDto] }) domains!: DomainOverviewDto[];
}

export class SeriesDayDto {
  @ApiProperty({ example: '2024-01-01' }) day!: string;
  @ApiProperty() successfulSessions!: number;
  @ApiProperty() failedSessions!: number;
  @ApiProperty({ type: Number, nullable: true }) failureRate!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Failed sessions per result type' })
  failuresByResultType!: Record<string, number>;
}

export class DomainSeriesDto {
  @ApiProperty() domain!: string;
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ type: [SeriesDayDto] }) days!: SeriesDayDto[];
}

export class BreakdownItemDto {
  @ApiProperty({ type: String, nullable: true, description: 'null: not given in the reports' }) value!: string | null;
  @ApiProperty() failedSessions!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'failedSessions / totalFailedSessions' }) share!: number | null;
}

export class BreakdownDto {
  @ApiProperty() domain!: string;
  @ApiProperty({ enum: ['organization', 'receiving-mx', 'receiving-ip', 'sending-ip', 'result-type', 'failure-reason-code'] }) dimension!: string;
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty() totalFailedSessions!: number;
  @ApiProperty({ description: 'More values exist than `limit` returned' }) truncated!: boolean;
  @ApiProperty({ description: 'Failed sessions of the values not listed (0 unless truncated)' }) otherFailedSessions!: number;
  @ApiProperty({ type: [BreakdownItemDto] }) items!: BreakdownItemDto[];
}

export class FailureExportRowDto {
  @ApiProperty({ type: String, nullable: true }) organization_name!: string | null;
  @ApiProperty({ format: 'date-time' }) begin_date!: string;
  @ApiProperty({ format: 'date-time' }) end_date!: string;
  @ApiProperty() report_id!: string;
  @ApiProperty({ type: String, nullable: true }) policy_domain!: string | null;
  @ApiProperty() policy_type!: string;
  @ApiProperty({ description: 'policy-string lines joined with |' }) policy_strings!: string;
  @ApiProperty({ description: 'mx-host patterns joined with |' }) mx_host_patterns!: string;
  @ApiProperty() successful_session_count!: number;
  @ApiProperty() failed_session_count!: number;
  @ApiProperty() result_type!: string;
  @ApiProperty({ type: String, nullable: true }) sending_mta_ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) receiving_ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) receiving_mx_hostname!: string | null;
  @ApiProperty({ type: String, nullable: true }) receiving_mx_helo!: string | null;
  @ApiProperty({ type: String, nullable: true }) additional_info_uri!: string | null;
  @ApiProperty({ type: String, nullable: true }) failure_reason_code!: string | null;
  @ApiProperty() report_pk!: number;
}
