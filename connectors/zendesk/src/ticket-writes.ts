import { randomUUID } from 'node:crypto';
import type { ZendeskClient } from 'node-zendesk';
import { NewTicket, TicketUpdate, VendorError, WriteBackResult } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { hasPrivateNote, ticketIdsByExternalId } from './ticket-lookup';
import { rawSend, ZendeskApi } from './zendesk-api';
import { ZendeskTicket } from './zendesk-records';

export type { NewTicket, TicketUpdate, WriteBackResult } from '@connectors/core/src';

/** The connection's number field for NPS scores (settings.npsScoreFieldId); null: it has none. */
export type ScoreFieldId = number | null;

/** node-zendesk's request type omits the null that clears a custom field, so our bodies are passed as its type. */
type SdkTicketBody = Parameters<ZendeskClient['tickets']['update']>[1];

export function zendeskId(value: string, what: string): number {
  const id = Number(value);
  if (!/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(id)) {
    throw new VendorError('zendesk', 'invalid', `${what} ${JSON.stringify(value)} is not a Zendesk id`, { code: 'INVALID_ID' });
  }
  return id;
}

/** The score as Zendesk custom_fields: the connection's score field, when it has one and a score is given. */
function scoreFields(score: number | undefined, scoreField: ScoreFieldId) {
  return score !== undefined && scoreField !== null ? { custom_fields: [{ id: scoreField, value: score }] } : {};
}

/**
 * The body of PUT /api/v2/tickets/{id}.json: the score field and the private note, only what is given.
 * Tags never go here: on a single-ticket update `tags` replaces the whole list and
 * additional_tags is ignored (it only works with update_many), so they go through the Tags API.
 */
function ticketUpdateBody(update: TicketUpdate, scoreField: ScoreFieldId) {
  return {
    ticket: {
      ...scoreFields(update.score, scoreField),
      ...(update.privateNote ? { comment: { body: update.privateNote, public: false } } : {}),
    },
  };
}

/** The body of PUT /api/v2/tickets/{id}/tags.json, which adds these tags and keeps the ticket's others. */
function addTagsBody(tags: readonly string[]) {
  return { tags: [...new Set(tags)] };
}

/**
 * The Idempotency-Key of a ticket create: our namespace and the external id, which callers often
 * build in the same namespace already ("nps-bridge:follow-up:…"); the prefix is then not repeated.
 */
function idempotencyKeyFor(externalId: string | undefined): string {
  const prefix = zendeskDescriptor.idempotencyKeyPrefix;
  const key = externalId ?? randomUUID();
  return key.startsWith(prefix) ? key : `${prefix}${key}`;
}

/** The body of POST /api/v2/tickets.json. Our own tag marks tickets nps-bridge created. */
function newTicketBody(ticket: NewTicket, scoreField: ScoreFieldId) {
  const dueAt = ticket.dueAt === undefined ? undefined : new Date(ticket.dueAt).toISOString();
  return {
    ticket: {
      subject: ticket.subject,
      comment: { body: ticket.body, public: false },
      type: ticket.type,
      ...(dueAt ? { due_at: dueAt } : {}),
      ...(ticket.groupId ? { group_id: zendeskId(ticket.groupId, 'groupId') } : {}),
      ...(ticket.requesterId ? { requester_id: zendeskId(ticket.requesterId, 'requesterId') } : {}),
      tags: [...new Set([zendeskDescriptor.ownTicketTag, ...(ticket.tags ?? [])])],
      ...scoreFields(ticket.score, scoreField),
      ...(ticket.followUpOf ? { via_followup_source_id: zendeskId(ticket.followUpOf, 'followUpOf') } : {}),
      ...(ticket.externalId ? { external_id: ticket.externalId } : {}),
    },
  };
}

/**
 * Update the ticket in up to two calls: the tags first (Tags API, PUT adds), then one PUT with
 * the fields and the private note. Tags and fields are idempotent; a private note is not (a
 * resend would post it twice), so after a failure that may have landed the ticket's comments
 * are read before sending again. Tags go first so that the note on the ticket means all of it
 * landed (what a retried write-back relies on).
 */
export async function updateTicket(api: ZendeskApi, ticketId: string, update: TicketUpdate, scoreField: ScoreFieldId): Promise<void> {
  const id = zendeskId(ticketId, 'ticketId');
  if (update.tags?.length) {
    // Adding a tag twice is harmless, so this one is simply retried.
    await api.call('general', rawSend('tickets', 'PUT', ['tickets', id, 'tags'], addTagsBody(update.tags)));
  }
  const body = ticketUpdateBody(update, scoreField) as SdkTicketBody;
  if (!body.ticket || Object.keys(body.ticket).length === 0) return;
  const note = update.privateNote;
  await api.writeGuarded<true>({
    what: `update of Zendesk ticket ${id}`,
    send: async () => (await api.once('general', (client) => client.tickets.update(id, body)), true),
    landed: note ? async () => ((await hasPrivateNote(api, id, note)) ? true : undefined) : undefined,
  });
}

/**
 * POST a ticket whose first comment is private; resolves to its id. Never created twice by a
 * resend: every attempt carries the same Idempotency-Key (ours from the external id, else one
 * per call), and after an attempt that may have landed a ticket with our external id is looked
 * for before sending again. Retries exhausted after such an attempt: VendorError OUTCOME_UNKNOWN.
 */
export async function createTicket(api: ZendeskApi, ticket: NewTicket, scoreField: ScoreFieldId): Promise<string> {
  if (ticket.type === 'task' && ticket.dueAt === undefined) {
    throw new VendorError('zendesk', 'invalid', 'a task ticket needs dueAt', { code: 'INVALID_TICKET' });
  }
  const body = newTicketBody(ticket, scoreField);
  const headers = { [zendeskDescriptor.idempotencyKeyHeader]: idempotencyKeyFor(ticket.externalId) };
  const externalId = ticket.externalId;
  return api.writeGuarded<string>({
    what: `create of Zendesk ticket "${ticket.subject}"${externalId ? ` (external_id ${externalId})` : ''}`,
    send: async () => {
      const created = await api.once<{ ticket: ZendeskTicket }>('general', rawSend('tickets', 'POST', ['tickets'], body, headers));
      return String(created.ticket.id);
    },
    landed: externalId ? async () => (await ticketIdsByExternalId(api, externalId, 'once'))[0] : undefined,
  });
}

/**
 * The transactional write-back with Zendesk's closed-ticket rule: update the ticket (tags, then
 * score field and private note); if Zendesk refuses with 422 because it is closed, create a follow-up ticket
 * (via_followup_source_id, external_id = options.externalId) carrying the same note, score and
 * tags, for the same requester and group. Updating first costs two calls in the usual case (tags,
 * then field and note); the ticket is read only after a 422, and any other 422 is thrown as it came.
 */
export async function writeBackToTicket(
  api: ZendeskApi,
  ticketId: string,
  update: TicketUpdate & { privateNote: string },
  options: { followUpSubject?: string; externalId?: string; mayHaveLanded?: boolean },
  scoreField: ScoreFieldId,
): Promise<WriteBackResult> {
  // A retry of a write-back whose answer was lost: the note on the ticket means it was done.
  if (options.mayHaveLanded && (await hasPrivateNote(api, zendeskId(ticketId, 'ticketId'), update.privateNote))) {
    return { ticketId, followUpOf: null };
  }
  try {
    await updateTicket(api, ticketId, update, scoreField);
    return { ticketId, followUpOf: null };
  } catch (error) {
    if (!(error instanceof VendorError) || error.details.status !== 422) throw error;
    const ticket = await api.call<ZendeskTicket>('general', (client) => client.tickets.show(zendeskId(ticketId, 'ticketId')));
    if (ticket.status !== 'closed') throw error;
    const followUp = await createTicket(
      api,
      {
        subject: options.followUpSubject ?? `NPS response on closed ticket #${ticketId}`,
        body: update.privateNote,
        type: 'question',
        requesterId: ticket.requester_id === null ? undefined : String(ticket.requester_id),
        groupId: ticket.group_id === null ? undefined : String(ticket.group_id),
        tags: update.tags,
        score: update.score,
        followUpOf: ticketId,
        externalId: options.externalId,
      },
      scoreField,
    );
    return { ticketId: followUp, followUpOf: ticketId };
  }
}
