import { ApiProperty } from '@nestjs/swagger';

// Response shapes of the reports and quarantine API for the OpenAPI document; the services return exactly these.

export class DateRangeDto {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
}

export class ReportListItemDto {
  @ApiProperty() id!: number;
  @ApiProperty({ description: 'organization-name, else the submitter or contact domain' }) organization!: string;
  @ApiProperty() reportId!: string;
  @ApiProperty({ type: DateRangeDto }) dateRange!: DateRangeDto;
  @ApiProperty({ type: String, nullable: true }) contactInfo!: string | null;
  @ApiProperty({ type: [String] }) policyDomains!: string[];
  @ApiProperty() successfulSessions!: number;
  @ApiProperty() failedSessions!: number;
  @ApiProperty({ example: 'smtp', description: 'smtp, https, import or imap:<name>' }) source!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ description: 'An aligned DKIM signature verified at receipt' }) authenticated!: boolean;
  @ApiProperty() duplicateDeliveries!: number;
  @ApiProperty() warningCount!: number;
}

export class ReportListDto {
  @ApiProperty({ type: [ReportListItemDto] }) items!: ReportListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the next page' }) nextCursor!: string | number | null;
}

export class ReportWarningDto {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ required: false }) path?: string;
}

export class DkimVerdictDto {
  @ApiProperty({ enum: ['pass', 'fail', 'none', 'temperror', 'not-verified'] }) result!: string;
  @ApiProperty() aligned!: boolean;
  @ApiProperty({ type: String, nullable: true }) domain!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) checkedAt!: string | null;
  @ApiProperty() authenticated!: boolean;
}

export class FailureDetailDto {
  @ApiProperty({ description: 'Kept verbatim, unknown types included' }) resultType!: string;
  @ApiProperty() failedSessionCount!: number;
  @ApiProperty({ type: String, nullable: true, description: 'As sent, even when not an IP' }) sendingMtaIp!: string | null;
  @ApiProperty({ type: String, nullable: true }) receivingIp!: string | null;
  @ApiProperty({ type: String, nullable: true }) receivingMxHostname!: string | null;
  @ApiProperty({ type: String, nullable: true }) receivingMxHelo!: string | null;
  @ApiProperty({ type: String, nullable: true }) additionalInformation!: string | null;
  @ApiProperty({ type: String, nullable: true }) failureReasonCode!: string | null;
}

export class ReportPolicyDto {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'sts' }) policyType!: string;
  @ApiProperty({ type: String, nullable: true }) policyDomain!: string | null;
  @ApiProperty({ type: [String] }) policyString!: string[];
  @ApiProperty({ type: [String] }) mxHost!: string[];
  @ApiProperty() successfulSessions!: number;
  @ApiProperty() failedSessions!: number;
  @ApiProperty({ description: 'False for policies without a domain or count, or of an unknown type' }) countsTowardRates!: boolean;
  @ApiProperty({ type: [FailureDetailDto] }) failures!: FailureDetailDto[];
}

export class ReportDetailDto {
  @ApiProperty() id!: number;
  @ApiProperty() organization!: string;
  @ApiProperty({ type: String, nullable: true }) organizationName!: string | null;
  @ApiProperty() reportId!: string;
  @ApiProperty({ type: DateRangeDto }) dateRange!: DateRangeDto;
  @ApiProperty({ description: 'UTC day of start-datetime the sessions count for' }) day!: string;
  @ApiProperty({ type: String, nullable: true }) contactInfo!: string | null;
  @ApiProperty({ type: String, nullable: true }) submitterDomain!: string | null;
  @ApiProperty() source!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty() duplicateDeliveries!: number;
  @ApiProperty({ type: [ReportWarningDto], description: 'One per sender quirk tolerated' }) warnings!: ReportWarningDto[];
  @ApiProperty({ type: DkimVerdictDto }) dkim!: DkimVerdictDto;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'TLS-Report-Domain, -Submitter, subject Report-ID, From, ...' })
  headers!: Record<string, unknown>;
  @ApiProperty() rawMessageId!: number;
  @ApiProperty({ type: [ReportPolicyDto] }) policies!: ReportPolicyDto[];
  @ApiProperty({ description: 'The report JSON exactly as received (after decompression)' }) reportJson!: string;
}

export class QuarantineItemDto {
  @ApiProperty() id!: number;
  @ApiProperty() rawMessageId!: number;
  @ApiProperty({ type: Number, nullable: true }) partIndex!: number | null;
  @ApiProperty({ example: 'DECOMPRESSED_TOO_LARGE' }) reasonCode!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() source!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) headers!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) resolvedReportId!: number | null;
}

export class QuarantineListDto {
  @ApiProperty({ type: [QuarantineItemDto] }) items!: QuarantineItemDto[];
  @ApiProperty({ type: Number, nullable: true }) nextCursor!: number | null;
}
