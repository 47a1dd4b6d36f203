import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** What the survey says about who is asking. */
export interface ProgramProfile {
  productName: string;
  companyName: string;
  senderName: string;
  senderEmail: string;
}

export const DEFAULT_PROFILE: ProgramProfile = {
  productName: 'our product',
  companyName: 'our company',
  senderName: 'Customer Success',
  senderEmail: 'nps@localhost',
};

export class UpdateProgramDto {
  @ApiPropertyOptional({ example: 'Acme Analytics' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) productName?: string;
  @ApiPropertyOptional({ example: 'Acme Inc.' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) companyName?: string;
  @ApiPropertyOptional({ example: 'Acme Customer Success' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) senderName?: string;
  @ApiPropertyOptional({ example: 'nps@acme.example' }) @IsOptional() @IsEmail() senderEmail?: string;
  @ApiPropertyOptional({ type: Object, description: 'overrides of the program rules (nps-program.md defaults)' })
  @IsOptional()
  @IsObject()
  rules?: Record<string, unknown>;
}
