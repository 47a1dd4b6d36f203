import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, registerDecorator, ValidationOptions } from 'class-validator';
import { ARR_BANDS, HEALTH_QUADRANTS, ROLE_PRECEDENCE, TenureBand, TRIGGER_STREAM } from '@libs/nps/src';

export const TENURE_BANDS: readonly TenureBand[] = ['0_90d', '91_180d', '181_365d', '1_2y', 'over_2y'];
/** Responses whose snapshot lacks a segment are grouped (and can be filtered) as "unknown". */
const UNKNOWN = 'unknown';
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day that exists on the calendar (2026-02-30 does not). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(property),
      options: { message: '$property must be a date (YYYY-MM-DD)', ...options },
      validator: {
        validate(value: unknown) {
          const match = typeof value === 'string' ? DATE.exec(value) : null;
          if (!match) return false;
          const day = new Date(`${value as string}T00:00:00.000Z`);
          return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value && Number(match[1]) >= 1;
        },
      },
    });
}

export const oneOf = (values: readonly string[]) => `$property must be one of: ${values.join(', ')}`;

/** The filters every report takes; each is optional, a bad value is a 400 naming it. */
export class ReportQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'count responses settled on or after this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'count responses settled on or before this UTC day; trailing-window reports (role gap, account NPS, coverage) are taken at its end',
  })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ enum: Object.keys(TRIGGER_STREAM), description: 'only responses to surveys of this trigger' })
  @IsOptional()
  @IsIn(Object.keys(TRIGGER_STREAM), { message: oneOf(Object.keys(TRIGGER_STREAM)) })
  trigger?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'enterprise', description: 'account tier stored with the response ("unknown" for none)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: '$property must not be blank' })
  tier?: string;

  @ApiPropertyOptional({ enum: [...ARR_BANDS, UNKNOWN], description: 'ARR band stored with the response' })
  @IsOptional()
  @IsIn([...ARR_BANDS, UNKNOWN], { message: oneOf([...ARR_BANDS, UNKNOWN]) })
  arrBand?: string;

  @ApiPropertyOptional({ enum: [...TENURE_BANDS, UNKNOWN], description: 'tenure band stored with the response' })
  @IsOptional()
  @IsIn([...TENURE_BANDS, UNKNOWN], { message: oneOf([...TENURE_BANDS, UNKNOWN]) })
  tenureBand?: string;

  @ApiPropertyOptional({ enum: [...ROLE_PRECEDENCE, UNKNOWN], description: "respondent's role stored with the response" })
  @IsOptional()
  @IsIn([...ROLE_PRECEDENCE, UNKNOWN], { message: oneOf([...ROLE_PRECEDENCE, UNKNOWN]) })
  role?: string;

  @ApiPropertyOptional({ enum: HEALTH_QUADRANTS, description: "the account's health quadrant when the response settled (stored with it; unknown without one)" })
  @IsOptional()
  @IsIn(HEALTH_QUADRANTS, { message: oneOf(HEALTH_QUADRANTS) })
  quadrant?: string;
}

/** The filters of a report that lists accounts, and which page of them to list (the summary always covers every account). */
export class AccountPageQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'accounts listed' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be a whole number' })
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'accounts skipped before the listed ones (by account id)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be a whole number' })
  @Min(0)
  offset?: number;
}

/** The trend's filters and its period. */
export class TrendQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: ['month', 'quarter'], default: 'quarter', description: 'UTC calendar months or quarters' })
  @IsOptional()
  @IsIn(['month', 'quarter'], { message: oneOf(['month', 'quarter']) })
  granularity?: 'month' | 'quarter';
}

/** The response rate counts surveys, which carry no segment snapshot: dates and trigger only. */
export class SurveyReportQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'surveys sent (or, for skips, planned) on or after this UTC day' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'surveys sent (or planned) on or before this UTC day' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ enum: Object.keys(TRIGGER_STREAM), description: 'only surveys of this trigger' })
  @IsOptional()
  @IsIn(Object.keys(TRIGGER_STREAM), { message: oneOf(Object.keys(TRIGGER_STREAM)) })
  trigger?: string;
}
