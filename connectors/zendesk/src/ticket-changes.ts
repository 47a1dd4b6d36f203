import { HelpdeskTicket, paginate, TicketChangesPage, VendorError } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { mapTicket, sideloadsOf, TicketSideloads } from './map-ticket';
import { ZendeskApi } from './zendesk-api';
import { TicketExportPage, ZendeskOrganization, ZendeskUser } from './zendesk-records';

export function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * Requesters and organizations the page refers to but did not sideload (Zendesk may omit a
 * suspended user, say) are fetched with show_many, ≤ 100 ids a call, so a ticket never loses
 * its requester email or CRM account for want of a sideload.
 */
export async function completeSideloads(api: ZendeskApi, page: Pick<TicketExportPage, 'tickets' | 'users' | 'organizations'>, signal?: AbortSignal): Promise<TicketSideloads> {
  const sideloads = sideloadsOf(page);
  const missing = (ids: Array<number | null>, known: Map<number, unknown>) => [...new Set(ids.filter((id): id is number => id !== null && !known.has(id)))];
  const users = missing(
    page.tickets.map((t) => t.requester_id),
    sideloads.users,
  );
  const organizations = missing(
    page.tickets.map((t) => t.organization_id),
    sideloads.organizations,
  );
  for (const ids of chunks(users, zendeskDescriptor.showManyBatchSize)) {
    const found = await api.call<ZendeskUser[]>('general', (client) => client.users.showMany(ids), signal);
    for (const user of found) if (typeof user.id === 'number') sideloads.users.set(user.id, user);
  }
  for (const ids of chunks(organizations, zendeskDescriptor.showManyBatchSize)) {
    const found = await api.call<ZendeskOrganization[]>('general', (client) => client.organizations.get(['organizations', 'show_many', { ids: ids.join(',') }]), signal);
    for (const organization of found) sideloads.organizations.set(organization.id, organization);
  }
  return sideloads;
}

/**
 * Tickets changed since the cursor (or `startTime`), through Zendesk's cursor-based incremental
 * export: GET incremental/tickets/cursor.json with start_time first, then cursor, each page with
 * its users and organizations sideloaded, deleted tickets left out. Paging is core paginate's
 * (a string cursor, so a cursor Zendesk repeats is caught); the export lane keeps to Zendesk's
 * 10 requests a minute and withRetry honours its Retry-After.
 */
export function readTicketChanges(api: ZendeskApi, options: { cursor: string | null; startTime: Date; signal?: AbortSignal }): AsyncIterable<TicketChangesPage> {
  const startTime = Math.max(0, Math.floor(options.startTime.getTime() / 1000));

  const fetchPage = async (cursor: string | undefined) => {
    const query = {
      ...(cursor !== undefined ? { cursor } : { start_time: startTime }),
      include: zendeskDescriptor.exportSideloads.join(','),
      exclude_deleted: true,
    };
    const page = await api.raw<TicketExportPage>('export', 'ticketexport', 'GET', [...zendeskDescriptor.exportPath, query], undefined, options.signal);
    const after = page.after_cursor ?? cursor;
    if (!after) throw new VendorError('zendesk', 'invalid', 'Zendesk export page has no after_cursor', { code: 'MAPPING_ERROR' });
    const sideloads = await completeSideloads(api, page, options.signal);
    const tickets: HelpdeskTicket[] = page.tickets.map((ticket) => mapTicket(ticket, sideloads));
    const mapped: TicketChangesPage = { tickets, cursor: after, endOfStream: page.end_of_stream === true };
    return { items: [mapped], next: mapped.endOfStream ? undefined : after };
  };

  return (async function* () {
    for await (const fetched of paginate<TicketChangesPage, string>(options.cursor ?? undefined, fetchPage, options.signal)) {
      yield* fetched.items;
    }
  })();
}
