import type { ExportedResponse } from '@libs/db/src/repositories/export-responses.repository';

/** The CSV's columns, in order: the header row names them. */
export const RESPONSE_CSV_COLUMNS = [
  'response_id',
  'stream',
  'trigger',
  'score',
  'category',
  'comment',
  'themes',
  'reference_opt_in',
  'role',
  'tier',
  'arr_band',
  'tenure_band',
  'enterprise',
  'answered_at',
  'settled_at',
  'account_id',
  'account_external_id',
  'account_name',
  'contact_id',
  'contact_external_id',
  'email',
  'follow_ups',
  'follow_up_next_due_at',
  'follow_up_last_completed_at',
] as const;

export type ResponseCsvRecord = Record<(typeof RESPONSE_CSV_COLUMNS)[number], string>;

/**
 * Text a respondent or a CRM typed, opened in a spreadsheet, must not run as a formula: a cell
 * starting with = + - @ (or a tab or carriage return) gets a leading apostrophe, as OWASP advises.
 */
export function spreadsheetSafe(text: string | null): string {
  if (text === null) return '';
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const OPEN = new Set(['pending', 'open']);
const text = (value: string | null) => value ?? '';
const flag = (value: boolean | null) => (value === null ? '' : String(value));

/**
 * One response as a CSV record: empty cells for nothing, themes joined by ";", follow-ups as
 * "kind:status" joined by ";", the earliest due time of those still open and the latest completion.
 */
export function responseCsvRecord(r: ExportedResponse): ResponseCsvRecord {
  const open = r.followUps.filter((f) => OPEN.has(f.status) && f.dueAt !== null).map((f) => f.dueAt as string);
  const completed = r.followUps.filter((f) => f.status === 'completed' && f.completedAt !== null).map((f) => f.completedAt as string);
  // ISO 8601 UTC text of one width: string order is time order.
  return {
    response_id: r.id,
    stream: r.stream,
    trigger: r.trigger,
    score: String(r.score),
    category: r.category,
    comment: spreadsheetSafe(r.comment),
    themes: r.themes.join(';'),
    reference_opt_in: String(r.referenceOptIn),
    role: text(r.role),
    tier: spreadsheetSafe(r.tier),
    arr_band: text(r.arrBand),
    tenure_band: text(r.tenureBand),
    enterprise: flag(r.enterprise),
    answered_at: r.answeredAt,
    settled_at: text(r.settledAt),
    account_id: text(r.accountId),
    account_external_id: spreadsheetSafe(r.accountExternalId),
    account_name: spreadsheetSafe(r.accountName),
    contact_id: text(r.contactId),
    contact_external_id: spreadsheetSafe(r.contactExternalId),
    email: spreadsheetSafe(r.email),
    follow_ups: r.followUps.map((f) => `${f.kind}:${f.status}`).join(';'),
    follow_up_next_due_at: open.sort()[0] ?? '',
    follow_up_last_completed_at: completed.sort().at(-1) ?? '',
  };
}
