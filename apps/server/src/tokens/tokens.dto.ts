import { ApiProperty } from '@nestjs/swagger';

export class TokenDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['read', 'admin'] }) scope!: string;
  @ApiProperty({ description: 'First characters of the token, to recognise it; the token itself is never shown again' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class TokenListDto {
  @ApiProperty({ type: [TokenDto] }) items!: TokenDto[];
}

export class CreateTokenBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) name!: string;
  @ApiProperty({ enum: ['read', 'admin'], default: 'read' }) scope?: string;
}

export class CreatedTokenDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['read', 'admin'] }) scope!: string;
  @ApiProperty({ description: 'Shown only in this response; only its hash is stored' }) token!: string;
}
