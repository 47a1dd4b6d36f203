import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform, ValidationPipe } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that must be a UUID; anything else is 400 naming the parameter (never a query that fails). */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && UUID.test(value)) return value;
    throw new BadRequestException([`${metadata.data ?? 'id'}: must be a UUID`]);
  }
}

/**
 * The global DTO validation (whitelist, unknown fields refused, messages naming the field), plus
 * one check class-validator cannot phrase: a body that is not a JSON object (an array, say).
 */
export class BodyValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = metadata.type === 'body' && typeof metadata.metatype === 'function' && metadata.metatype !== Object && this.toValidate(metadata);
    if (isDto && value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      throw new BadRequestException(['body: must be a JSON object']);
    }
    return super.transform(value, metadata);
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether "YYYY-MM-DD" is a day that exists (2026-02-30 does not; years 0001–9999). */
function isCalendarDate(value: unknown): value is string {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days;
}

/** An optional date query parameter: null when absent, 400 naming it when not a real day. */
export function calendarDateParam(name: string, value: unknown): string | null {
  if (value === undefined || value === '') return null;
  if (!isCalendarDate(value)) throw new BadRequestException([`${name}: must be a date (YYYY-MM-DD)`]);
  return value;
}
