import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { AdminKey } from '../../../../libs/db/src';

export class CreateAdminKeyDto {
  @ApiProperty({ example: 'ops laptop' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

export class AdminKeyDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'First characters of the key, to tell keys apart' }) prefix: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) lastUsedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;

  static from(row: AdminKey): AdminKeyDto {
    return Object.assign(new AdminKeyDto(), {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      createdAt: row.createdAt,
      lastUsedAt: row.lastUsedAt,
      revokedAt: row.revokedAt,
    });
  }
}

export class CreatedAdminKeyDto extends AdminKeyDto {
  @ApiProperty({ description: 'The key itself; shown only in this answer' }) key: string;
}
