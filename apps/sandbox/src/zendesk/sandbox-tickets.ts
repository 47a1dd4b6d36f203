import { applyCustomFieldValues, customFieldValues, emptyCustomFields } from './sandbox-fields';
import { Answer, NOT_FOUND, recordInvalid } from './sandbox-answers';
import { cursorPage } from './sandbox-paging';
import { SandboxData } from './sandbox-seed';
import { SandboxTicket, SandboxTicketStatus, SandboxTicketType, ticketJson, zendeskTime } from './sandbox-records';

export type { Answer } from './sandbox-answers';
const WRITABLE_STATUSES: SandboxTicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved'];
const TYPES: SandboxTicketType[] = ['question', 'incident', 'problem', 'task'];

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringList = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((t) => typeof t === 'string') ? v.map((t) => t.toLowerCase()) : undefined);

function touch(ticket: SandboxTicket, now: number): void {
  ticket.updated_at = zendeskTime(now);
  ticket.generated_timestamp = Math.floor(now / 1000);
}

/** A comment to add, checked: body (or html_body) not blank; `public: false` makes an internal note. */
function commentInput(comment: unknown): { body: string; public: boolean } | Answer {
  const body = isObject(comment) ? (comment.body ?? comment.html_body) : undefined;
  if (typeof body !== 'string' || body.trim() === '') return recordInvalid('comment', 'Comment: cannot be blank', 'BlankValue');
  return { body, public: !(isObject(comment) && comment.public === false) };
}

function addComment(data: SandboxData, ticket: SandboxTicket, comment: { body: string; public: boolean }, authorId: number, now: number): void {
  ticket.comments.push({ id: data.nextId.comment++, type: 'Comment', author_id: authorId, ...comment, created_at: zendeskTime(now) });
}

/** An ISO 8601 due date as Zendesk stores it, or the refusal. */
function dueAt(value: unknown): string | null | Answer {
  if (value === undefined || value === null) return null;
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? recordInvalid('due_at', `Due date: ${JSON.stringify(value)} is not a date`) : zendeskTime(at);
}

const externalIdOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const isAnswer = (v: unknown): v is Answer => isObject(v) && typeof v.status === 'number' && 'body' in v;

/**
 * PUT /api/v2/tickets/{id}: fields, tags (replace), a comment, status, group, due date, external
 * id. additional_tags and remove_tags are ignored here, as Zendesk documents: they only work with
 * bulk updates (update_many); the Tags API adds without overwriting. A closed ticket refuses
 * every update (422). Checked in
 * full before anything is written. A due date is kept on task tickets only ("If this is a ticket
 * of type task it has a due date"; another type's due_at is dropped, as Zendesk's permissive API
 * drops what does not apply).
 */
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
  if (typeof input.group_id === 'number' && !data.groups.has(input.group_id)) return recordInvalid('group_id', `Group: ${input.group_id} is not a group`);
  const comment = input.comment === undefined ? undefined : commentInput(input.comment);
  if (isAnswer(comment)) return comment;
  const values = customFieldValues(data, input.custom_fields);
  if (!Array.isArray(values)) return values;
  const due = input.due_at === undefined ? undefined : dueAt(input.due_at);
  if (isAnswer(due)) return due;

  if (comment) addComment(data, ticket, comment, authorId, now);
  if (input.status === 'solved' && ticket.status !== 'solved') ticket.solved_at = zendeskTime(now);
  if (typeof input.status === 'string') ticket.status = input.status as SandboxTicketStatus;
  if (typeof input.subject === 'string') ticket.subject = input.subject;
  if (input.type !== undefined) ticket.type = (input.type as SandboxTicketType | null) ?? null;
  if (typeof input.group_id === 'number' || input.group_id === null) ticket.group_id = input.group_id as number | null;
  if (typeof input.assignee_id === 'number' || input.assignee_id === null) ticket.assignee_id = input.assignee_id as number | null;
  if (input.external_id !== undefined) ticket.external_id = externalIdOf(input.external_id);
  if (due !== undefined) ticket.due_at = due;
  if (ticket.type !== 'task') ticket.due_at = null;
  applyCustomFieldValues(ticket, values);
  const replace = stringList(input.tags);
  if (replace) ticket.tags = [...new Set(replace)];
  touch(ticket, now);
  return { status: 200, body: { ticket } };
}

/**
 * The Tags API on one ticket, answering the ticket's tags as `{ "tags": [...] }`: GET lists them,
 * PUT adds (keeping the others), POST sets the whole list, DELETE removes. Writes need
 * `{ "tags": [...] }` and are refused on a closed ticket, like any update.
 */
export function ticketTags(ticket: SandboxTicket, method: string, body: unknown, now: number): Answer {
  if (method === 'GET') return { status: 200, body: { tags: [...ticket.tags] } };
  if (ticket.status === 'closed') return recordInvalid('status', 'Status: closed prevents ticket update');
  const tags = isObject(body) ? stringList(body.tags) : undefined;
  if (!tags) return { status: 400, body: { error: 'InvalidValue', description: 'tags must be a list of tags' } };
  if (method === 'PUT') ticket.tags = [...new Set([...ticket.tags, ...tags])];
  else if (method === 'POST') ticket.tags = [...new Set(tags)];
  else if (method === 'DELETE') ticket.tags = ticket.tags.filter((t) => !tags.includes(t));
  else return { status: 405, body: { error: 'MethodNotAllowed', description: `${method} is not allowed on tags` } };
  touch(ticket, now);
  return { status: 200, body: { tags: [...ticket.tags] } };
}

/**
 * POST /api/v2/tickets, checked in full before an id is taken: a first comment is required, the
 * requester and group must exist, a follow-up (via_followup_source_id) only of a closed ticket,
 * custom field values as customFieldValues says. Our rule, stricter than Zendesk's as far as we
 * know: a task needs due_at. A due date on another type is dropped.
 */
export function createTicket(data: SandboxData, body: unknown, authorId: number, now: number): Answer | { ticket: SandboxTicket } {
  const input = isObject(body) && isObject(body.ticket) ? body.ticket : undefined;
  if (!input) return { status: 400, body: { error: 'InvalidValue', description: 'ticket is required' } };
  const type = (input.type ?? null) as SandboxTicketType | null;
  if (type !== null && !TYPES.includes(type)) return recordInvalid('type', `Type: ${String(type)} is not valid`);
  if (type === 'task' && typeof input.due_at !== 'string') return recordInvalid('due_at', 'Due date: cannot be blank for a task', 'BlankValue');
  const due = dueAt(input.due_at);
  if (isAnswer(due)) return due;
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
  const comment = commentInput(input.comment ?? (input.description === undefined ? {} : { body: input.description }));
  if (isAnswer(comment)) return recordInvalid('description', 'Description: cannot be blank', 'BlankValue');
  const values = customFieldValues(data, input.custom_fields);
  if (!Array.isArray(values)) return values;

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
    custom_fields: emptyCustomFields(data),
    due_at: type === 'task' ? due : null,
    via_followup_source_id: followed?.id ?? null,
    external_id: externalIdOf(input.external_id),
    created_at: zendeskTime(now),
    updated_at: zendeskTime(now),
    generated_timestamp: Math.floor(now / 1000),
    solved_at: status === 'solved' ? zendeskTime(now) : null,
    comments: [],
  };
  addComment(data, ticket, comment, authorId, now);
  applyCustomFieldValues(ticket, values);
  data.tickets.set(ticket.id, ticket);
  return { ticket };
}

/** GET /api/v2/tickets[?external_id=]: live tickets by id, cursor-paginated; the filter matches the whole external id. */
export function listTickets(data: SandboxData, query: URLSearchParams, baseUrl: string): Answer {
  const externalId = query.get('external_id');
  const tickets = [...data.tickets.values()]
    .filter((t) => t.status !== 'deleted' && (externalId === null || t.external_id === externalId))
    .sort((a, b) => a.id - b.id)
    .map((t) => ticketJson(t, baseUrl));
  return { status: 200, body: cursorPage(tickets, query, 'tickets', '/api/v2/tickets.json') };
}

/** GET /api/v2/tickets/{id}/comments: oldest first; cursor-paginated with page[size], else all at once (offset style). */
export function listComments(ticket: SandboxTicket, query: URLSearchParams): Answer {
  const comments = ticket.comments.map((comment) => ({ ...comment, html_body: `<p>${comment.body}</p>`, plain_body: comment.body }));
  if (query.has('page[size]')) return { status: 200, body: cursorPage(comments, query, 'comments', `/api/v2/tickets/${ticket.id}/comments.json`) };
  return { status: 200, body: { comments, next_page: null, previous_page: null, count: comments.length } };
}

/** The sandbox's mutation API moves a ticket like an agent would. */
export function moveTicket(ticket: SandboxTicket, to: SandboxTicketStatus, now: number): void {
  if (ticket.status === 'closed' && to !== 'deleted') throw new Error(`ticket ${ticket.id} is closed and cannot be ${to === 'open' ? 'reopened' : `set to ${to}`}`);
  if (to === 'solved') ticket.solved_at = zendeskTime(now);
  ticket.status = to;
  touch(ticket, now);
}
