import { BadRequestException } from '@nestjs/common';

/** A form field as text: anything else (absent, repeated, nested) counts as empty. */
export const formText = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A `before` cursor that is a row number (outbox, webhook deliveries): digits only, else 400 naming it. */
export function rowNumberCursor(value: unknown): string | null {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || !/^[1-9]\d{0,17}$/.test(value)) throw new BadRequestException(['before: must be a row number from an "Older" link']);
  return value;
}

/** A row number in a path (an outbox id). */
export function rowNumberParam(name: string, value: string): string {
  if (!/^[1-9]\d{0,17}$/.test(value)) throw new BadRequestException([`${name}: must be a row number`]);
  return value;
}
