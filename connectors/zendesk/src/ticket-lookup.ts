import { listAll } from './cursor-list';
import { ZendeskApi } from './zendesk-api';
import { ZendeskComment, ZendeskTicket } from './zendesk-records';

/**
 * Ids of the tickets whose external_id is this (List Tickets, GET /api/v2/tickets?external_id=;
 * Zendesk does not keep external ids unique, so there may be several), oldest (lowest id) first. Tickets Zendesk returns with another external_id are left out, so a
 * filter Zendesk ignored could never pass for a match.
 */
export async function ticketIdsByExternalId(api: ZendeskApi, externalId: string, attempts: 'retry' | 'once' = 'retry'): Promise<string[]> {
  const tickets = await listAll<Pick<ZendeskTicket, 'id' | 'external_id'>>(api, {
    service: 'tickets',
    path: ['tickets'],
    key: 'tickets',
    query: { external_id: externalId },
    attempts,
  });
  const wanted = externalId.toLowerCase();
  return tickets
    .filter((t) => typeof t.external_id === 'string' && t.external_id.toLowerCase() === wanted)
    .map((t) => t.id)
    .sort((a, b) => a - b)
    .map(String);
}

const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Whether the ticket already carries this private note: how an update whose answer was lost is
 * told apart from one that never happened (a PUT with a comment is not idempotent). The note and
 * the field go in one PUT, after the tags were added, so finding the note means all of it landed.
 */
export async function hasPrivateNote(api: ZendeskApi, ticketId: number, note: string): Promise<boolean> {
  const comments = await listAll<ZendeskComment>(api, { service: 'tickets', path: ['tickets', String(ticketId), 'comments'], key: 'comments', attempts: 'once' });
  const wanted = normalised(note);
  return comments.some((c) => c.public === false && typeof c.body === 'string' && normalised(c.body) === wanted);
}
