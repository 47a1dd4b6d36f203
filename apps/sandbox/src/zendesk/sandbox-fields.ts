import { cursorPage } from './sandbox-paging';
import { CUSTOM_FIELD_TYPES, CustomFieldType, SandboxTicket, SandboxTicketField, ticketFieldJson, zendeskTime } from './sandbox-records';
import type { SandboxData } from './sandbox-seed';
import { Answer, recordInvalid } from './sandbox-answers';

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCustom = (field: SandboxTicketField) => field.removable;

/** Adds a field as Zendesk stores it (seeds and POST /api/v2/ticket_fields). */
export function addTicketField(data: SandboxData, field: Pick<SandboxTicketField, 'type' | 'title'> & Partial<SandboxTicketField>, at: number): SandboxTicketField {
  const created: SandboxTicketField = {
    id: field.id ?? data.nextId.ticketField++,
    description: '',
    agent_description: null,
    active: true,
    required: false,
    visible_in_portal: false,
    editable_in_portal: false,
    removable: true,
    position: data.ticketFields.size + 1,
    created_at: zendeskTime(at),
    updated_at: zendeskTime(at),
    ...field,
  };
  data.ticketFields.set(created.id, created);
  return created;
}

/**
 * GET /api/v2/ticket_fields: with page[size], cursor pagination by id (≤ 100 a page); without,
 * every field by position, as Zendesk documents both.
 */
export function listTicketFields(data: SandboxData, query: URLSearchParams, baseUrl: string): Answer {
  const fields = [...data.ticketFields.values()];
  if (query.has('page[size]')) {
    const byId = fields.sort((a, b) => a.id - b.id).map((f) => ticketFieldJson(f, baseUrl));
    return { status: 200, body: cursorPage(byId, query, 'ticket_fields', '/api/v2/ticket_fields.json') };
  }
  const byPosition = fields.sort((a, b) => a.position - b.position).map((f) => ticketFieldJson(f, baseUrl));
  return { status: 200, body: { ticket_fields: byPosition, next_page: null, previous_page: null, count: byPosition.length } };
}

/**
 * POST /api/v2/ticket_fields: `type` and `title` are mandatory, the type one of Zendesk's custom
 * field types, drop-downs need options. (Zendesk's exact sentences for these refusals are not
 * in our sources; the shape is its classic RecordInvalid.)
 */
export function createTicketField(data: SandboxData, body: unknown, now: number, baseUrl: string): Answer {
  const input = isObject(body) && isObject(body.ticket_field) ? body.ticket_field : undefined;
  if (!input) return { status: 400, body: { error: 'InvalidValue', description: 'ticket_field is required' } };
  if (typeof input.title !== 'string' || input.title.trim() === '') return recordInvalid('title', 'Title: cannot be blank', 'BlankValue');
  if (input.type === undefined || input.type === null || input.type === '') return recordInvalid('type', 'Type: cannot be blank', 'BlankValue');
  if (!CUSTOM_FIELD_TYPES.includes(input.type as CustomFieldType)) {
    return recordInvalid('type', `Type: ${String(input.type)} is not a valid custom field type`);
  }
  const type = input.type as CustomFieldType;
  const options = Array.isArray(input.custom_field_options) ? input.custom_field_options.filter(isObject) : [];
  if ((type === 'tagger' || type === 'multiselect') && options.length === 0) {
    return recordInvalid('custom_field_options', 'Field options: a drop-down field needs at least one option', 'BlankValue');
  }
  const text = (v: unknown, fallback: string | null) => (typeof v === 'string' ? v : fallback);
  const flag = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback);
  const field = addTicketField(
    data,
    {
      type,
      title: input.title.trim(),
      description: text(input.description, '') ?? '',
      agent_description: text(input.agent_description, null),
      active: flag(input.active, true),
      required: flag(input.required, false),
      visible_in_portal: flag(input.visible_in_portal, false),
      editable_in_portal: flag(input.editable_in_portal, false),
      ...(options.length ? { custom_field_options: options.map((o) => ({ id: data.nextId.ticketField++, name: String(o.name), value: String(o.value) })) } : {}),
    },
    now,
  );
  return { status: 201, body: { ticket_field: ticketFieldJson(field, baseUrl) } };
}

/** Zendesk's word for a value an integer or decimal field refuses. */
function notANumber(field: SandboxTicketField): Answer {
  const detail = {
    description: `${field.title}: is not a number`,
    error: 'InvalidValue',
    ticket_field_id: field.id,
    ticket_field_type: field.type === 'integer' ? 'FieldInteger' : 'FieldDecimal',
  };
  return { status: 422, body: { error: 'RecordInvalid', description: 'Record validation errors', details: { base: [detail] } } };
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * The custom_fields of a ticket create or update, checked before anything is written. Zendesk's
 * API is permissive: a value for a field id that does not exist (or a system field) is dropped
 * without an error, and so is a drop-down value that is not one of the field's tags. A number
 * field refuses what is not a number. null or "" clears a value. Returns the values to apply, or
 * the refusal.
 */
export function customFieldValues(data: SandboxData, input: unknown): Array<{ id: number; value: unknown }> | Answer {
  if (!Array.isArray(input)) return [];
  const values: Array<{ id: number; value: unknown }> = [];
  for (const entry of input) {
    if (!isObject(entry) || typeof entry.id !== 'number') continue;
    const field = data.ticketFields.get(entry.id);
    if (!field || !isCustom(field)) continue;
    const value = entry.value === '' || entry.value === undefined ? null : entry.value;
    if (value === null) {
      values.push({ id: field.id, value: null });
      continue;
    }
    const asText = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
    if (field.type === 'integer' || field.type === 'decimal') {
      if (typeof asText !== 'string' || !(field.type === 'integer' ? INTEGER : DECIMAL).test(asText.trim())) return notANumber(field);
      values.push({ id: field.id, value: Number(asText) });
      continue;
    }
    if (field.type === 'tagger' && !field.custom_field_options?.some((o) => o.value === value)) continue;
    values.push({ id: field.id, value });
  }
  return values;
}

/** Writes checked values onto the ticket: every custom field keeps one entry. */
export function applyCustomFieldValues(ticket: SandboxTicket, values: Array<{ id: number; value: unknown }>): void {
  for (const { id, value } of values) {
    const existing = ticket.custom_fields.find((f) => f.id === id);
    if (existing) existing.value = value;
    else ticket.custom_fields.push({ id, value });
  }
}

/** A new ticket lists every active custom field, unset ones with null, as Zendesk's tickets do. */
export function emptyCustomFields(data: SandboxData): Array<{ id: number; value: unknown }> {
  return [...data.ticketFields.values()].filter((f) => isCustom(f) && f.active).map((f) => ({ id: f.id, value: null }));
}
