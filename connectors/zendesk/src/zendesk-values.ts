import { TicketStatus } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';

/**
 * Reading single Zendesk values strictly. Each returns `undefined` for a value of the wrong
 * shape, and the caller raises its own error (a mapping VendorError for API reads, a
 * WebhookRejected for webhook calls) naming the ticket and the field.
 */
const STATUSES: readonly string[] = zendeskDescriptor.statuses;

/**
 * The status category, matched case-insensitively: the API sends "solved", the {{ticket.status}}
 * placeholder renders the display name ("Solved", "On-hold"). Anything else (e.g. the export's "deleted") is
 * not a status we know.
 */
export function ticketStatus(value: unknown): TicketStatus | undefined {
  if (typeof value !== 'string') return undefined;
  // "On-hold" is the display name of hold.
  const status = value
    .trim()
    .toLowerCase()
    .replace(/^on-hold$/, 'hold');
  return STATUSES.includes(status) ? (status as TicketStatus) : undefined;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An ISO 8601 instant as toISOString() writes it, so stored instants compare as strings.
 * Zendesk's {{ticket.updated_at_with_timestamp}} drops the seconds ("2013-12-12T05:35Z").
 */
export function isoInstant(value: unknown): string | undefined {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return undefined;
  const ms = Date.parse(value);
  // Date.parse rolls impossible days over (2026-02-30 → March 2) and accepts 24:00: refuse both,
  // and years before any Zendesk record (Postgres refuses year 0 outright).
  const [year, month, day, hour] = value.split(/[-T:]/, 4).map(Number);
  if (Number.isNaN(ms) || year < 1970 || hour > 23 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  return new Date(ms).toISOString();
}

const MAX_ID = 2n ** 63n - 1n;

/** A Zendesk numeric id as our external id; null and "" (an empty placeholder) mean none. */
export function optionalId(value: unknown): string | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  // Zendesk ids are 64-bit integers.
  if (typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= MAX_ID) return value;
  return undefined;
}

/** Text where "" means unset (placeholders render missing values as empty strings). */
export function optionalText(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? null : text;
}

/**
 * Ticket tags: the API's array, or the space-separated text the {{ticket.tags}} placeholder
 * renders. Zendesk keeps tags lower-case and without spaces.
 */
export function tagList(value: unknown): string[] | undefined {
  const tags = typeof value === 'string' ? value.split(/\s+/) : value;
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) return undefined;
  return [...new Set((tags as string[]).map((t) => t.trim().toLowerCase()).filter(Boolean))];
}
