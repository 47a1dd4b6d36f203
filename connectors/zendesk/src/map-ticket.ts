import { HelpdeskTicket, VendorError } from '@connectors/core/src';
import { TicketExportPage, ZendeskOrganization, ZendeskTicket, ZendeskUser } from './zendesk-records';
import { isoInstant, optionalId, optionalText, tagList, ticketStatus } from './zendesk-values';

/** The requesters and organizations a page of tickets refers to, by Zendesk id. */
export interface TicketSideloads {
  users: Map<number, ZendeskUser>;
  organizations: Map<number, ZendeskOrganization>;
}

export function sideloadsOf(page: Pick<TicketExportPage, 'users' | 'organizations'>): TicketSideloads {
  return {
    users: new Map((page.users ?? []).filter((u) => typeof u.id === 'number').map((u) => [u.id as number, u])),
    organizations: new Map((page.organizations ?? []).map((o) => [o.id, o])),
  };
}

function mappingError(ticket: ZendeskTicket, field: string, problem: string, value: unknown): VendorError {
  const shown = (JSON.stringify(value) ?? String(value)).slice(0, 80);
  return new VendorError('zendesk', 'invalid', `Zendesk ticket ${String(ticket.id)}: ${field} ${problem} (got ${shown})`, {
    code: 'MAPPING_ERROR',
  });
}

/**
 * One exported ticket with its sideloaded requester and organization → the port's ticket.
 *
 * solvedAt: Zendesk's ticket has no solved time of its own. We take `metric_set.solved_at` when
 * a ticket metric is attached, else `updated_at` while the status is `solved` (the export lists a
 * ticket when it changes, so a freshly solved ticket's last update is its solving; a later edit
 * of a solved ticket moves it, which is why the planner keeps the first solvedAt it saw), and
 * null for a closed ticket, whose updated_at is when it was closed, not solved.
 */
export function mapTicket(ticket: ZendeskTicket, sideloads: TicketSideloads): HelpdeskTicket {
  const fail = (field: string, problem: string, value: unknown): never => {
    throw mappingError(ticket, field, problem, value);
  };
  const id = (field: keyof ZendeskTicket) => {
    const value = optionalId(ticket[field]);
    return value === undefined ? fail(field, 'is not a Zendesk id', ticket[field]) : value;
  };
  const externalId = id('id') ?? fail('id', 'is missing', ticket.id);
  const status = ticketStatus(ticket.status) ?? fail('status', 'is not a Zendesk status category', ticket.status);
  const updatedAt = isoInstant(ticket.updated_at) ?? fail('updated_at', 'is not an ISO 8601 instant', ticket.updated_at);
  const subject = optionalText(ticket.subject);
  if (subject === undefined) fail('subject', 'is not text', ticket.subject);
  const tags = ticket.tags === undefined ? [] : ((Array.isArray(ticket.tags) ? tagList(ticket.tags) : undefined) ?? fail('tags', 'is not a list of tags', ticket.tags));

  const requester = ticket.requester_id === null ? undefined : sideloads.users.get(ticket.requester_id);
  const organization = ticket.organization_id === null ? undefined : sideloads.organizations.get(ticket.organization_id);
  const metricSolvedAt = ticket.metric_set?.solved_at ? isoInstant(ticket.metric_set.solved_at) : undefined;

  return {
    externalId,
    status,
    subject: subject ?? null,
    requesterExternalId: id('requester_id'),
    requesterEmail: optionalText(requester?.email) ?? null,
    requesterName: optionalText(requester?.name) ?? null,
    organizationExternalId: id('organization_id'),
    organizationCrmAccountId: optionalText(organization?.external_id) ?? null,
    groupExternalId: id('group_id'),
    assigneeExternalId: id('assignee_id'),
    solvedAt: metricSolvedAt ?? (status === 'solved' ? updatedAt : null),
    updatedAt,
    tags,
  };
}
