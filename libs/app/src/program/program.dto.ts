import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROGRAM_RULES_CHANGE_SCHEMA, PROGRAM_RULES_SCHEMA, programRulesRef } from './program-rules.schema';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsObject, IsString, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

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

const given = (_: object, value: unknown) => value !== undefined;
/** Null passes here: it means "not set", which the service accepts only for an item still unset. */
const setOrNull = (_: object, value: unknown) => value !== undefined && value !== null;
const profileText = () => applyDecorators(ValidateIf(setOrNull), IsString(), Matches(/\S/, { message: '$property must not be blank' }), MaxLength(100));
const profileEmail = () => applyDecorators(ValidateIf(setOrNull), IsEmail(), MaxLength(254));

/** The profile as GET answers it (unset items null), so the answer can be sent back unchanged. */
export class UpdateProgramProfileDto {
  @ApiPropertyOptional({ nullable: true, type: String }) @profileText() companyName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @profileText() productName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @profileText() senderName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @profileEmail() senderEmail?: string | null;
}

/**
 * Items are changed, never removed: null is accepted only for an item that is not set (as GET
 * shows it), so a GET answer can be PUT back; `missing` is read-only and ignored.
 */
export class UpdateProgramDto {
  @ApiPropertyOptional({ example: 'Acme Analytics', nullable: true, type: String, minLength: 1, maxLength: 100, pattern: '\\S' }) @profileText() productName?: string | null;
  @ApiPropertyOptional({ example: 'Acme Inc.', nullable: true, type: String, minLength: 1, maxLength: 100, pattern: '\\S' }) @profileText() companyName?: string | null;
  @ApiPropertyOptional({ example: 'Acme Customer Success', nullable: true, type: String, minLength: 1, maxLength: 100, pattern: '\\S' }) @profileText() senderName?: string | null;
  @ApiPropertyOptional({ example: 'nps@acme.example', nullable: true, type: String, format: 'email' }) @profileEmail() senderEmail?: string | null;
  @ApiPropertyOptional({
    description: 'true turns the program live (refused with 400 and the missing items unless everything is set); false pauses sending',
  })
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  live?: boolean;
  @ApiPropertyOptional({
    allOf: [programRulesRef(PROGRAM_RULES_CHANGE_SCHEMA)],
    description:
      'overrides of the program rules (defaults: libs/nps/README.md), e.g. {"sendDays": ["monday"], "sendWindowStart": "09:00", ' +
      '"sendWindowEnd": "11:00", "timeZone": "Europe/Berlin", "dailySendCap": 500, "enterpriseEscalation": true, "leadershipOwnerId": "005..."}',
  })
  @ValidateIf(given)
  @IsObject()
  rules?: Record<string, unknown>;
  @ApiPropertyOptional({ type: UpdateProgramProfileDto, description: 'the profile as GET shows it; the top-level items win where both are given' })
  @ValidateIf(given)
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateProgramProfileDto)
  profile?: UpdateProgramProfileDto;
  @ApiPropertyOptional({
    type: [String],
    format: 'email',
    maxItems: 50,
    example: ['cs-leads@acme.example'],
    description: 'who receives every new alert by email (rules §9); [] sends none',
  })
  @ValidateIf(given)
  @IsArray()
  @ArrayMaxSize(50)
  @IsEmail({}, { each: true })
  @MaxLength(254, { each: true })
  alertEmails?: string[];
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'uri',
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    description: 'incoming-webhook URL every new alert is posted to as {"text": …}; https only (http only to this machine); null posts none',
  })
  @ValidateIf(setOrNull)
  @IsString()
  @MaxLength(2000)
  slackWebhookUrl?: string | null;
  /** Read-only (what GET says is missing): accepted so a GET answer can be PUT back, then ignored. */
  @ApiPropertyOptional({ type: [String], readOnly: true, description: 'what GET says is missing; ignored here' })
  @Allow()
  missing?: unknown;
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

  @ApiProperty({ allOf: [programRulesRef(PROGRAM_RULES_SCHEMA)], description: 'every program rule, defaults filled in' })
  rules: Record<string, unknown>;

  @ApiProperty({ type: [String], format: 'email', description: 'who receives every new alert by email; empty until set' })
  alertEmails: string[];

  @ApiProperty({ type: String, nullable: true, format: 'uri', description: 'the incoming webhook every new alert is posted to; null until set' })
  slackWebhookUrl: string | null;
}
