import { HelpdeskTicket, WebhookRejected } from '@connectors/core/src';
import { isoInstant, optionalId, optionalText, tagList, ticketStatus } from './zendesk-values';

/**
 * The JSON body our trigger asks Zendesk to send (the second value of its notification_webhook
 * action). Every placeholder sits inside quotes: Zendesk renders a missing value (no
 * organization, no group) as an empty string, which would break an unquoted number.
 */
const TICKET_SOLVED_BODY = {
  ticket_id: '{{ticket.id}}',
  status: '{{ticket.status}}',
  requester_id: '{{ticket.requester.id}}',
  requester_email: '{{ticket.requester.email}}',
  requester_name: '{{ticket.requester.name}}',
  organization_id: '{{ticket.organization.id}}',
  organization_external_id: '{{ticket.organization.external_id}}',
  group_id: '{{ticket.group.id}}',
  assignee_id: '{{ticket.assignee.id}}',
  subject: '{{ticket.title}}',
  updated_at: '{{ticket.updated_at_with_timestamp}}',
  // Space-separated, as Zendesk renders a ticket's tags.
  tags: '{{ticket.tags}}',
} as const;

type TicketSolvedField = keyof typeof TICKET_SOLVED_BODY;

/** The template as the trigger carries it: JSON text, pretty-printed for admins who open the trigger. */
export function ticketSolvedBodyTemplate(): string {
  return JSON.stringify(TICKET_SOLVED_BODY, null, 2);
}

/**
 * A verified webhook body (our template, rendered by Zendesk) → the port's ticket. Strict: a body
 * that is not our template, an id that is not a number or a status we do not know is refused,
 * never guessed. solvedAt is updated_at when solved (the trigger fires on the update that solved
 * it), but only to the minute: {{ticket.updated_at_with_timestamp}} renders no seconds, and no
 * placeholder we know of does. So the worker reads a solved ticket back (readTickets, the metric
 * set's solved_at) before planning its survey; this value only says which ticket and roughly when.
 */
export function mapWebhookPayload(rawBody: Buffer): HelpdeskTicket {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookRejected('body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WebhookRejected('body is not a JSON object');
  const fields = body as Partial<Record<TicketSolvedField, unknown>>;
  const reject = (field: TicketSolvedField, problem: string): never => {
    throw new WebhookRejected(`${field} ${problem} (got ${(JSON.stringify(fields[field]) ?? 'nothing').slice(0, 80)})`);
  };
  const id = (field: TicketSolvedField) => {
    const value = optionalId(fields[field]);
    return value === undefined ? reject(field, 'is not a Zendesk id') : value;
  };
  const text = (field: TicketSolvedField) => {
    const value = optionalText(fields[field]);
    return value === undefined ? reject(field, 'is not text') : value;
  };

  const externalId = id('ticket_id') ?? reject('ticket_id', 'is missing');
  const status = ticketStatus(fields.status) ?? reject('status', 'is not a Zendesk ticket status');
  const updatedAt = isoInstant(fields.updated_at) ?? reject('updated_at', 'is not an ISO 8601 instant');
  // Required: a body without tags comes from a trigger set up before they were added, which
  // would also fire for our own tickets; setup rewrites it, and the export catches up meanwhile.
  const tags = (typeof fields.tags === 'string' ? tagList(fields.tags) : undefined) ?? reject('tags', 'is not the space-separated tag text');
  return {
    externalId,
    status,
    subject: text('subject'),
    requesterExternalId: id('requester_id'),
    requesterEmail: text('requester_email'),
    requesterName: text('requester_name'),
    organizationExternalId: id('organization_id'),
    organizationCrmAccountId: text('organization_external_id'),
    groupExternalId: id('group_id'),
    assigneeExternalId: id('assignee_id'),
    solvedAt: status === 'solved' ? updatedAt : null,
    updatedAt,
    tags,
  };
}
