import { ApiProperty } from '@nestjs/swagger';

export class IssuedPermalinkDto {
  @ApiProperty({ format: 'uuid' }) responseId: string;
  @ApiProperty({ description: 'The read-only response page; shown only in this answer (only a hash is stored)', example: 'https://nps.example.com/r/3q2-7wX…' })
  url: string;
  @ApiProperty() createdAt: Date;
}

export class RevokedPermalinksDto {
  @ApiProperty({ format: 'uuid' }) responseId: string;
  @ApiProperty({ description: 'How many live links were revoked (0 when none was live)' }) revoked: number;
}
