import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/** What the survey says about who is asking. */
export interface ProgramProfile {
  productName: string;
  companyName: string;
  senderName: string;
  senderEmail: string;
}

/** The profile items a program needs before it may go live, in the order they are listed. */
export const PROFILE_ITEMS = ['companyName', 'productName', 'senderName', 'senderEmail'] as const;

/**
 * Neutral words pages use for a profile item the admin has not set yet (a survey answered after
 * the program was paused, a preview). They never count as set: a draft cannot go live on them.
 */
export const UNSET_PROFILE_WORDING: ProgramProfile = {
  productName: 'our product',
  companyName: 'our company',
  senderName: 'Customer Success',
  senderEmail: 'nps@localhost',
};

/** Null unsets an item (a live program refuses that while the item is required). */
export class UpdateProgramDto {
  @ApiPropertyOptional({ example: 'Acme Analytics', nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) productName?: string | null;
  @ApiPropertyOptional({ example: 'Acme Inc.', nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) companyName?: string | null;
  @ApiPropertyOptional({ example: 'Acme Customer Success', nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) senderName?: string | null;
  @ApiPropertyOptional({ example: 'nps@acme.example', nullable: true }) @IsOptional() @IsEmail() senderEmail?: string | null;
  @ApiPropertyOptional({
    description: 'true turns the program live (refused with 400 and the missing items unless everything is set); false pauses sending',
  })
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  live?: boolean;
  @ApiPropertyOptional({
    type: Object,
    description:
      'overrides of the program rules (nps-program.md defaults), e.g. {"sendDays": ["monday"], "sendWindowStart": "09:00", ' +
      '"sendWindowEnd": "11:00", "timeZone": "Europe/Berlin", "dailySendCap": 500, "enterpriseEscalation": true, "leadershipOwnerId": "005..."}',
  })
  @IsOptional()
  @IsObject()
  rules?: Record<string, unknown>;
}

export class ProgramProfileDto {
  @ApiProperty({ nullable: true, type: String, description: 'null until the admin sets it' }) companyName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null until the admin sets it' }) productName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the default sender name; null until the admin sets it' }) senderName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the default sender address; null until the admin sets it' }) senderEmail: string | null;
}

export class ProgramDto {
  @ApiProperty({ description: 'false while the program is a draft (or paused): it plans and previews, but sends no email' })
  live: boolean;

  @ApiProperty({
    type: [String],
    example: ['companyName', 'productName', 'senderName', 'senderEmail', 'rules.leadershipOwnerId'],
    description: 'what must be set before the program can go live; empty when it can',
  })
  missing: string[];

  @ApiProperty({ type: ProgramProfileDto, description: 'who the surveys come from; an item the admin has not set is null' })
  profile: ProgramProfileDto;

  @ApiProperty({ type: Object, description: 'every program rule, defaults filled in' })
  rules: Record<string, unknown>;
}
