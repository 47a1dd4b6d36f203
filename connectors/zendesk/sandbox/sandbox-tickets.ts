import { SandboxData } from './sandbox-seed';
import { SandboxTicket, SandboxTicketStatus, SandboxTicketType, zendeskTime } from './sandbox-records';

/** An HTTP answer the router sends as JSON. */
export interface Answer {
  status: number;
  body: unknown;
}

/** Zendesk's classic validation error: 422 RecordInvalid with the field's sentence in details. */
export function recordInvalid(field: string, description: string, error = 'InvalidValue'): Answer {
  return { status: 422, body: { error: 'RecordInvalid', description: 'Record validation errors', details: { [field]: [{ description, error }] } } };
}

export const NOT_FOUND: Answer = { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };

const WRITABLE_STATUSES: SandboxTicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved'];
const TYPES: SandboxTicketType[] = ['question', 'incident', 'problem', 'task'];

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringList = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((t) => typeof t === 'string') ? v.map((t) => t.toLowerCase()) : undefined;

function touch(ticket: SandboxTicket, now: number): void {
  ticket.updated_at = zendeskTime(now);
  ticket.generated_timestamp = Math.floor(now / 1000);
}

function applyCustomFields(data: SandboxData, ticket: SandboxTicket, fields: unknown): void {
  if (!Array.isArray(fields)) return;
  for (const field of fields) {
    // Zendesk ignores values for fields that do not exist.
    if (!isObject(field) || typeof field.id !== 'number' || !data.ticketFields.has(field.id)) continue;
    const existing = ticket.custom_fields.find((f) => f.id === field.id);
    if (existing) existing.value = field.value ?? null;
    else ticket.custom_fields.push({ id: field.id, value: field.value ?? null });
  }
}

function addComment(data: SandboxData, ticket: SandboxTicket, comment: unknown, authorId: number, now: number): Answer | undefined {
  if (comment === undefined) return undefined;
  const body = isObject(comment) ? (comment.body ?? comment.html_body) : undefined;
  if (typeof body !== 'string' || body.trim() === '') return recordInvalid('comment', 'Comment: cannot be blank', 'BlankValue');
  const isPublic = isObject(comment) && comment.public === false ? false : true;
  ticket.comments.push({ id: data.nextId.comment++, type: 'Comment', author_id: authorId, body, public: isPublic, created_at: zendeskTime(now) });
  return undefined;
}

/** PUT /api/v2/tickets/{id}: fields, tags (replace), additional_tags/remove_tags, a comment, status. */
export function updateTicket(data: SandboxData, ticket: SandboxTicket, body: unknown, authorId: number, now: number): Answer {
  if (ticket.status === 'closed') return recordInvalid('status', 'Status: closed prevents ticket update');
  if (ticket.status === 'deleted') return NOT_FOUND;
  const input = isObject(body) && isObject(body.ticket) ? body.ticket : undefined;
  if (!input) return { status: 400, body: { error: 'InvalidValue', description: 'ticket is required' } };
  if (input.status !== undefined && !WRITABLE_STATUSES.includes(input.status as SandboxTicketStatus)) {
    return recordInvalid('status', `Status: ${String(input.status)} is not valid`);
  }
  if (input.type !== undefined && input.type !== null && !TYPES.includes(input.type as SandboxTicketType)) {
    return recordInvalid('type', `Type: ${String(input.type)} is not valid`);
  }
  const failed = addComment(data, ticket, input.comment, authorId, now);
  if (failed) return failed;
  if (typeof input.status === 'string') ticket.status = input.status as SandboxTicketStatus;
  if (typeof input.subject === 'string') ticket.subject = input.subject;
  if (input.type !== undefined) ticket.type = (input.type as SandboxTicketType | null) ?? null;
  if (typeof input.group_id === 'number' || input.group_id === null) ticket.group_id = input.group_id as number | null;
  if (typeof input.assignee_id === 'number' || input.assignee_id === null) ticket.assignee_id = input.assignee_id as number | null;
  if (typeof input.due_at === 'string' || input.due_at === null) ticket.due_at = input.due_at as string | null;
  applyCustomFields(data, ticket, input.custom_fields);
  const replace = stringList(input.tags);
  if (replace) ticket.tags = [...new Set(replace)];
  const added = stringList(input.additional_tags) ?? [];
  const removed = new Set(stringList(input.remove_tags) ?? []);
  ticket.tags = [...new Set([...ticket.tags, ...added])].filter((t) => !removed.has(t));
  touch(ticket, now);
  return { status: 200, body: { ticket } };
}

/** POST /api/v2/tickets: a comment is required; our rule: a task needs due_at; follow-ups only of closed tickets. */
export function createTicket(data: SandboxData, body: unknown, authorId: number, now: number): Answer | { ticket: SandboxTicket } {
  const input = isObject(body) && isObject(body.ticket) ? body.ticket : undefined;
  if (!input) return { status: 400, body: { error: 'InvalidValue', description: 'ticket is required' } };
  const type = (input.type ?? null) as SandboxTicketType | null;
  if (type !== null && !TYPES.includes(type)) return recordInvalid('type', `Type: ${String(type)} is not valid`);
  if (type === 'task' && typeof input.due_at !== 'string') return recordInvalid('due_at', 'Due date: cannot be blank for a task', 'BlankValue');
  const requesterId = typeof input.requester_id === 'number' ? input.requester_id : authorId;
  const requester = data.users.get(requesterId);
  if (!requester) return recordInvalid('requester_id', `Requester: ${requesterId} is not a user`);
  if (input.group_id !== undefined && !data.groups.has(input.group_id as number)) return recordInvalid('group_id', `Group: ${String(input.group_id)} is not a group`);
  let followed: SandboxTicket | undefined;
  if (input.via_followup_source_id !== undefined) {
    followed = data.tickets.get(input.via_followup_source_id as number);
    if (!followed || followed.status !== 'closed') {
      return recordInvalid('via_followup_source_id', 'Follow-up source: only a closed ticket can be followed up');
    }
  }
  const status = (input.status ?? 'new') as SandboxTicketStatus;
  if (!WRITABLE_STATUSES.includes(status)) return recordInvalid('status', `Status: ${String(status)} is not valid`);
  const ticket: SandboxTicket = {
    id: data.nextId.ticket++,
    subject: typeof input.subject === 'string' ? input.subject : '',
    status,
    type,
    priority: null,
    requester_id: requester.id,
    submitter_id: authorId,
    assignee_id: typeof input.assignee_id === 'number' ? input.assignee_id : null,
    organization_id: requester.organization_id,
    group_id: typeof input.group_id === 'number' ? input.group_id : null,
    tags: [...new Set(stringList(input.tags) ?? [])],
    custom_fields: [],
    due_at: typeof input.due_at === 'string' ? zendeskTime(Date.parse(input.due_at)) : null,
    via_followup_source_id: followed?.id ?? null,
    created_at: zendeskTime(now),
    updated_at: zendeskTime(now),
    generated_timestamp: Math.floor(now / 1000),
    comments: [],
  };
  const failed = addComment(data, ticket, input.comment ?? (input.description === undefined ? {} : { body: input.description }), authorId, now);
  if (failed) return recordInvalid('description', 'Description: cannot be blank', 'BlankValue');
  applyCustomFields(data, ticket, input.custom_fields);
  data.tickets.set(ticket.id, ticket);
  return { ticket };
}

/** The sandbox's mutation API moves a ticket like an agent would. */
export function moveTicket(ticket: SandboxTicket, to: SandboxTicketStatus, now: number): void {
  if (ticket.status === 'closed' && to !== 'deleted') throw new Error(`ticket ${ticket.id} is closed and cannot be ${to === 'open' ? 'reopened' : `set to ${to}`}`);
  ticket.status = to;
  touch(ticket, now);
}
