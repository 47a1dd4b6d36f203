import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { AdminKey } from '@libs/db/src';

export class CreateAdminKeyDto {
  @ApiProperty({ example: 'ops laptop', minLength: 1, maxLength: 100, description: 'what the key is for, to tell keys apart' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

export class AdminKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ops laptop' }) name: string;
  @ApiProperty({ example: 'npsb_3q2Xw7a', description: 'First characters of the key, to tell keys apart' }) prefix: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date, description: 'the last request made with it' }) lastUsedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: 'set once revoked: it no longer opens /api' }) revokedAt: Date | null;

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
  @ApiProperty({ description: 'The key itself; shown only in this answer (only its hash is stored)', example: 'npsb_3q2Xw7aZ…', pattern: '^npsb_[A-Za-z0-9_-]{43}$' }) key: string;
}
