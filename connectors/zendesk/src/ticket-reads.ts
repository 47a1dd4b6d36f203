import { HelpdeskTicket } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { mapTicket } from './map-ticket';
import { chunks, completeSideloads } from './ticket-changes';
import { ZendeskApi } from './zendesk-api';
import { ZendeskOrganization, ZendeskTicket, ZendeskUser } from './zendesk-records';

interface ShowManyPage {
  tickets: ZendeskTicket[];
  users?: ZendeskUser[];
  organizations?: ZendeskOrganization[];
}

/**
 * Tickets by id as Zendesk has them now: GET tickets/show_many (≤ 100 ids a call) with their
 * requesters, organizations and metric sets sideloaded, so solvedAt is the metric set's
 * solved_at, to the second. Ids Zendesk does not return (deleted tickets) are left out.
 */
export async function readTickets(api: ZendeskApi, externalIds: string[], signal?: AbortSignal): Promise<HelpdeskTicket[]> {
  const ids = [...new Set(externalIds)].filter((id) => /^[1-9]\d*$/.test(id));
  const tickets: HelpdeskTicket[] = [];
  for (const batch of chunks(ids, zendeskDescriptor.showManyBatchSize)) {
    const query = { ids: batch.join(','), include: zendeskDescriptor.ticketSideloads.join(',') };
    const page = await api.raw<ShowManyPage>('general', 'tickets', 'GET', ['tickets', 'show_many', query], undefined, signal);
    const sideloads = await completeSideloads(api, page, signal);
    tickets.push(...page.tickets.map((ticket) => mapTicket(ticket, sideloads)));
  }
  return tickets;
}
