import { CrmFieldValue, VendorError } from '@connectors/core/src';
import { BatchItem } from './batch-writes';
import { decimal } from './hubspot-values';

/**
 * A value as HubSpot's property formats take it (every value is a string):
 * - numbers as plain decimals ("1.5e-7" is refused as "not a valid number");
 * - dates stay 'YYYY-MM-DD', the ISO 8601 form HubSpot recommends for date properties (its
 *   other form, epoch ms at midnight UTC, would also corrupt a text field that happens to hold
 *   a date-like string);
 * - booleans 'true' / 'false'; null → '' (HubSpot clears a property set to an empty string).
 * undefined for a number that is not finite.
 */
export function propertyValue(value: CrmFieldValue): string | undefined {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? (decimal(String(value)) ?? undefined) : undefined;
  return value;
}

/** One entry of HubSpot's "Property values were not valid: [...]" list. */
export interface PropertyProblem {
  name: string;
  /** PROPERTY_DOESNT_EXIST, INVALID_OPTION, INVALID_INTEGER, INVALID_DATE, … */
  error: string;
  /** The refused value, when HubSpot says (recent answers carry `propertyValue`). */
  value?: string;
}

const INVALID_PROPERTIES = /^Property values were not valid: (\[.*\])$/s;

/** HubSpot's 400 message for bad property values, read back into its list; undefined for any other message. */
export function propertyProblems(message: string): PropertyProblem[] | undefined {
  const list = INVALID_PROPERTIES.exec(message)?.[1];
  if (list === undefined) return undefined;
  try {
    const parsed = JSON.parse(list) as Array<{ name?: unknown; error?: unknown; propertyValue?: unknown }>;
    if (!Array.isArray(parsed)) return undefined;
    return parsed
      .filter((p) => typeof p?.name === 'string')
      .map((p) => ({ name: p.name as string, error: String(p.error ?? ''), ...(p.propertyValue !== undefined ? { value: String(p.propertyValue) } : {}) }));
  } catch {
    return undefined;
  }
}

/** Problems that are about the property itself: every record writing it is refused. */
const WHOLE_PROPERTY = new Set(['PROPERTY_DOESNT_EXIST', 'READ_ONLY_VALUE']);

/**
 * The records a refused batch blames: those writing a property HubSpot says does not exist (or
 * is read-only), or writing exactly the value it quotes. undefined when any problem cannot be
 * pinned on records that way (a bad value HubSpot does not quote): the caller halves the batch.
 */
export function blamedRecords<I extends { properties?: Record<string, string> }>(error: VendorError, items: Array<BatchItem<I>>): Array<BatchItem<I>> | undefined {
  const problems = propertyProblems(error.message);
  if (!problems?.length) return undefined;
  const blamed = new Set<BatchItem<I>>();
  for (const problem of problems) {
    const wholeProperty = WHOLE_PROPERTY.has(problem.error);
    if (!wholeProperty && problem.value === undefined) return undefined;
    for (const item of items) {
      const value = item.input.properties?.[problem.name];
      if (value !== undefined && (wholeProperty || value === problem.value)) blamed.add(item);
    }
  }
  return blamed.size > 0 ? [...blamed] : undefined;
}
