import { Answer } from './sandbox-answers';
import { emptyCustomFields } from './sandbox-fields';
import { SandboxTicket, SandboxTicketStatus, zendeskTime } from './sandbox-records';
import { addOrganization, addUser, organizationByExternalId, SandboxData } from './sandbox-seed';

/**
 * How a request can fail on purpose: rate_limited (429 with Retry-After), server_error (500),
 * unavailable (503 with Retry-After), connection_reset (the socket closes, no answer).
 */
export type FaultKind = 'rate_limited' | 'server_error' | 'unavailable' | 'connection_reset';

/** The mutation API, in process or as the JSON body of POST /_sandbox/mutate. */
export type SandboxMutation =
  | { action: 'solveTicket' | 'reopenTicket' | 'closeTicket' | 'deleteTicket'; id: number }
  | { action: 'createTicket'; requesterEmail: string; organizationExternalId?: string; status?: SandboxTicketStatus; subject?: string }
  | { action: 'advanceClock'; ms: number }
  | { action: 'failNext'; n: number; kind: FaultKind; retryAfterSeconds?: number }
  | { action: 'dropNextWebhooks'; n: number }
  /** While on, every API request answers 503 with Retry-After (default 30 s). */
  | { action: 'outage'; on: boolean; retryAfterSeconds?: number }
  /** The next `count` ticket creates are made, then answered 503: the answer is lost, the ticket exists. */
  | { action: 'failAfterWrite'; count: number }
  /** OAuth: every access token issued stops working (refresh tokens still work), or every refresh token does. */
  | { action: 'expireTokens' | 'revokeRefreshTokens' };

/** Zendesk unavailable: 503 with Retry-After (an outage, a fault, an answer lost after a write). */
export function unavailable(retryAfterSeconds: number): Answer {
  return {
    status: 503,
    body: { error: 'ServiceUnavailable', description: 'Zendesk is temporarily unavailable' },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  };
}

/** status 0 means "close the connection without answering". */
export function faultAnswer(kind: FaultKind, retryAfterSeconds: number): Answer {
  switch (kind) {
    case 'rate_limited':
      return {
        status: 429,
        body: { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' },
        headers: { 'Retry-After': String(retryAfterSeconds) },
      };
    case 'server_error':
      return { status: 500, body: { error: 'InternalError', description: 'Something went wrong on our end' } };
    case 'unavailable':
      return unavailable(retryAfterSeconds);
    case 'connection_reset':
      return { status: 0, body: undefined };
    default:
      throw new Error(`unknown fault ${String(kind)}`);
  }
}

/** A ticket from an end user, found by email or created (in the organization with that external id). */
export function createTicketFor(
  data: SandboxData,
  input: { requesterEmail: string; organizationExternalId?: string; status?: SandboxTicketStatus; subject?: string },
  now: number,
): SandboxTicket {
  const email = input.requesterEmail.toLowerCase();
  let requester = [...data.users.values()].find((u) => u.email?.toLowerCase() === email);
  if (!requester) {
    const externalId = input.organizationExternalId;
    const org = externalId ? (organizationByExternalId(data, externalId) ?? addOrganization(data, `Account ${externalId}`, externalId, now)) : undefined;
    requester = addUser(data, { name: email.split('@')[0], email, role: 'end-user', organization_id: org?.id ?? null }, now);
  }
  const group = [...data.groups.values()][0];
  const status = input.status ?? 'open';
  const ticket: SandboxTicket = {
    id: data.nextId.ticket++,
    subject: input.subject ?? 'Help with my account',
    status,
    type: 'question',
    priority: 'normal',
    requester_id: requester.id,
    submitter_id: requester.id,
    assignee_id: status === 'new' ? null : group.agentIds[0],
    organization_id: requester.organization_id,
    group_id: status === 'new' ? null : group.id,
    tags: [],
    custom_fields: emptyCustomFields(data),
    due_at: null,
    via_followup_source_id: null,
    external_id: null,
    created_at: zendeskTime(now),
    updated_at: zendeskTime(now),
    generated_timestamp: Math.floor(now / 1000),
    solved_at: status === 'solved' ? zendeskTime(now) : null,
    comments: [{ id: data.nextId.comment++, type: 'Comment', author_id: requester.id, body: 'Please help.', public: true, created_at: zendeskTime(now) }],
  };
  data.tickets.set(ticket.id, ticket);
  return ticket;
}
