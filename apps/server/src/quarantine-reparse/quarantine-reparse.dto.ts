import { ApiProperty } from '@nestjs/swagger';

export class ReparsedReportDto {
  @ApiProperty() reportId!: string;
  @ApiProperty() organization!: string;
  @ApiProperty({ description: 'Id of the stored report (GET /api/reports/{id})' }) reportPk!: number;
  @ApiProperty({ description: 'The report was already stored from another delivery' }) duplicate!: boolean;
}

export class ReparseOutcomeDto {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['resolved', 'still-quarantined', 'already-resolved'] }) status!: string;
  @ApiProperty({ type: [ReparsedReportDto], required: false }) reports?: ReparsedReportDto[];
  @ApiProperty({ required: false, description: 'Why the part still does not parse' }) code?: string;
  @ApiProperty({ required: false }) reason?: string;
  @ApiProperty({ type: Number, nullable: true, required: false }) resolvedReportId?: number | null;
}

export class ReparseAllDto {
  @ApiProperty() attempted!: number;
  @ApiProperty() resolved!: number;
  @ApiProperty() stillQuarantined!: number;
  @ApiProperty({ type: [ReparseOutcomeDto] }) items!: ReparseOutcomeDto[];
}
