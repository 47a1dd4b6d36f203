import { SandboxAutomation } from './sandbox-automation';
import { exportTickets, ticketsWithSideloads } from './sandbox-export';
import { SandboxData } from './sandbox-seed';
import { createTicketField, listTicketFields } from './sandbox-fields';
import { SandboxUser, ticketFieldJson, ticketJson } from './sandbox-records';
import { Answer, badRequest, NOT_FOUND } from './sandbox-answers';
import { createTicket, listComments, listTickets, ticketTags, updateTicket } from './sandbox-tickets';

export interface RouteContext {
  data: SandboxData;
  automation: SandboxAutomation;
  /** The authenticated agent or admin. */
  user: SandboxUser;
  now: number;
  baseUrl: string;
  exportPageSize: number;
  excludeLastMinute: boolean;
}

/** Comma-separated ids, ≤ 100 (Zendesk's show_many limit). */
function idList(value: string | null): number[] | Answer {
  const ids = (value ?? '').split(',').filter(Boolean).map(Number);
  if (ids.length === 0 || ids.some((id) => !Number.isSafeInteger(id))) return badRequest('ids must be a comma-separated list of ids');
  if (ids.length > 100) return badRequest('show_many accepts at most 100 ids');
  return ids;
}

/** The Zendesk API under /api/v2 (parts after it, ".json" removed), for an authenticated user. */
export function apiRoute(method: string, parts: string[], query: URLSearchParams, body: unknown, c: RouteContext): Answer {
  const [resource, id, sub] = parts;
  const key = `${method} ${resource}${id === undefined ? '' : /^\d+$/.test(id) ? '/:id' : `/${id}`}${sub === undefined ? '' : `/${sub}`}`;
  switch (key) {
    case 'GET users/me':
      return { status: 200, body: { user: c.user } };
    case 'GET users/show_many': {
      const ids = idList(query.get('ids'));
      return Array.isArray(ids) ? { status: 200, body: { users: ids.flatMap((i) => c.data.users.get(i) ?? []) } } : ids;
    }
    case 'GET users/:id': {
      const user = c.data.users.get(Number(id));
      return user ? { status: 200, body: { user } } : NOT_FOUND;
    }
    case 'GET organizations/show_many': {
      const externalIds = query.get('external_ids');
      if (externalIds !== null) {
        const wanted = new Set(externalIds.split(',').map((e) => e.toLowerCase()));
        return { status: 200, body: { organizations: [...c.data.organizations.values()].filter((o) => wanted.has(o.external_id?.toLowerCase() ?? '')) } };
      }
      const ids = idList(query.get('ids'));
      return Array.isArray(ids) ? { status: 200, body: { organizations: ids.flatMap((i) => c.data.organizations.get(i) ?? []) } } : ids;
    }
    case 'GET ticket_fields':
      return listTicketFields(c.data, query, c.baseUrl);
    case 'POST ticket_fields':
      return createTicketField(c.data, body, c.now, c.baseUrl);
    case 'GET ticket_fields/:id': {
      const field = c.data.ticketFields.get(Number(id));
      return field ? { status: 200, body: { ticket_field: ticketFieldJson(field, c.baseUrl) } } : NOT_FOUND;
    }
    case 'GET tickets':
      return listTickets(c.data, query, c.baseUrl);
    case 'GET tickets/show_many': {
      // Deleted tickets are left out; ticket sideloads as on the export (metric_sets included).
      const ids = idList(query.get('ids'));
      if (!Array.isArray(ids)) return ids;
      const tickets = ids.flatMap((i) => c.data.tickets.get(i) ?? []).filter((t) => t.status !== 'deleted');
      const include = (query.get('include') ?? '').split(',').filter(Boolean);
      return { status: 200, body: ticketsWithSideloads(c.data, tickets, include, c.baseUrl) };
    }
    case 'POST tickets': {
      const created = createTicket(c.data, body, c.user.id, c.now);
      if (!('ticket' in created)) return created;
      c.automation.ticketChanged({ ticket: created.ticket, previousStatus: null });
      return { status: 201, body: { ticket: ticketJson(created.ticket, c.baseUrl) } };
    }
    case 'GET tickets/:id':
    case 'PUT tickets/:id':
    case 'GET tickets/:id/comments':
    case 'GET tickets/:id/tags':
    case 'PUT tickets/:id/tags':
    case 'POST tickets/:id/tags':
    case 'DELETE tickets/:id/tags':
      return ticketRoute(method, Number(id), sub, query, body, c);
    case 'GET incremental/tickets/cursor':
      return exportRoute(query, c);
    default: {
      const automated = resource === 'webhooks' || resource === 'triggers' ? c.automation.route(method, parts, query, body) : undefined;
      return automated ?? { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } };
    }
  }
}

function ticketRoute(method: string, id: number, sub: string | undefined, query: URLSearchParams, body: unknown, c: RouteContext): Answer {
  const ticket = c.data.tickets.get(id);
  if (!ticket || ticket.status === 'deleted') return NOT_FOUND;
  if (sub === 'comments') return listComments(ticket, query);
  if (method === 'GET' && sub === undefined) return { status: 200, body: { ticket: ticketJson(ticket, c.baseUrl) } };
  const previousStatus = ticket.status;
  if (sub === 'tags') {
    const tagged = ticketTags(ticket, method, body, c.now);
    if (method !== 'GET' && tagged.status === 200) c.automation.ticketChanged({ ticket, previousStatus });
    return tagged;
  }
  const answer = updateTicket(c.data, ticket, body, c.user.id, c.now);
  if (answer.status !== 200) return answer;
  c.automation.ticketChanged({ ticket, previousStatus });
  return { status: 200, body: { ticket: ticketJson(ticket, c.baseUrl) } };
}

function exportRoute(query: URLSearchParams, c: RouteContext): Answer {
  const cursor = query.get('cursor') ?? undefined;
  const startRaw = query.get('start_time');
  if (cursor === undefined && startRaw === null) return badRequest('start_time or cursor is required');
  const startTime = startRaw === null ? undefined : Number(startRaw);
  if (startTime !== undefined && (!Number.isInteger(startTime) || startTime < 0)) return badRequest('start_time must be a unix time in seconds');
  if (startTime !== undefined && cursor === undefined && startTime * 1000 > c.now) return badRequest('start_time is in the future');
  const include = (query.get('include') ?? '').split(',').filter(Boolean);
  const page = exportTickets(
    c.data,
    { cursor, startTime: cursor === undefined ? startTime : undefined, include, excludeDeleted: query.get('exclude_deleted') === 'true' },
    { pageSize: c.exportPageSize, excludeLastMinute: c.excludeLastMinute, now: c.now, baseUrl: c.baseUrl },
  );
  return page ? { status: 200, body: page } : { status: 422, body: { error: 'InvalidPaginationParameter', description: 'cursor is not valid' } };
}
