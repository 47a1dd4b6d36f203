import { createHmac, randomBytes } from 'node:crypto';
import { SandboxData } from './sandbox-seed';
import { SandboxTicket, SandboxTrigger, SandboxWebhook, zendeskTime } from './sandbox-records';

/** One attempt to deliver a webhook call, as tests inspect it. */
export interface WebhookCall {
  webhookId: string;
  invocationId: string;
  endpoint: string;
  attempt: number;
  headers: Record<string, string>;
  body: string;
  /** The receiver's HTTP status; null when it could not be reached or the call was dropped. */
  status: number | null;
  error: string | null;
  /** Dropped on purpose (dropWebhooks / dropNextWebhooks): never sent, like a lost delivery. */
  dropped: boolean;
}

/** What changed on a ticket, for trigger conditions. */
export interface TicketChange {
  ticket: SandboxTicket;
  previousStatus: string | null;
}

const DISPLAY_STATUS: Record<string, string> = { new: 'New', open: 'Open', pending: 'Pending', hold: 'On-hold', solved: 'Solved', closed: 'Closed' };

/** Zendesk's placeholders we render; an unknown one renders empty, as Zendesk does for missing data. */
function placeholderValues(data: SandboxData, ticket: SandboxTicket, now: number): Record<string, string> {
  const requester = data.users.get(ticket.requester_id);
  const assignee = ticket.assignee_id === null ? undefined : data.users.get(ticket.assignee_id);
  const organization = ticket.organization_id === null ? undefined : data.organizations.get(ticket.organization_id);
  const group = ticket.group_id === null ? undefined : data.groups.get(ticket.group_id);
  // "…_with_timestamp" is ISO 8601 to the minute (Zendesk's example: 2013-12-12T05:35Z).
  const minute = (iso: string) => iso.replace(/:\d{2}Z$/, 'Z');
  return {
    'ticket.id': String(ticket.id),
    'ticket.title': ticket.subject,
    'ticket.status': DISPLAY_STATUS[ticket.status] ?? ticket.status,
    'ticket.ticket_type': ticket.type ? ticket.type[0].toUpperCase() + ticket.type.slice(1) : '',
    // Zendesk renders a ticket's tags space-separated.
    'ticket.tags': ticket.tags.join(' '),
    'ticket.requester.id': requester ? String(requester.id) : '',
    'ticket.requester.email': requester?.email ?? '',
    'ticket.requester.name': requester?.name ?? '',
    'ticket.assignee.id': assignee ? String(assignee.id) : '',
    'ticket.assignee.name': assignee?.name ?? '',
    'ticket.assignee.email': assignee?.email ?? '',
    'ticket.organization.id': organization ? String(organization.id) : '',
    'ticket.organization.name': organization?.name ?? '',
    'ticket.organization.external_id': organization?.external_id ?? '',
    'ticket.group.id': group ? String(group.id) : '',
    'ticket.group.name': group?.name ?? '',
    'ticket.created_at_with_timestamp': minute(ticket.created_at),
    'ticket.updated_at_with_timestamp': minute(ticket.updated_at),
    current_time: zendeskTime(now),
  };
}

/** Fills the body template; values are JSON-escaped because our templates put them inside JSON strings. */
export function renderTemplate(template: string, data: SandboxData, ticket: SandboxTicket, now: number): string {
  const values = placeholderValues(data, ticket, now);
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => JSON.stringify(values[name] ?? '').slice(1, -1));
}

/**
 * Whether a trigger fires for this change. The sandbox understands status conditions ("value" =
 * changed to, "is", "is_not"), update_type, and current_tags with a space-separated list
 * ("includes": at least one of them, "not_includes": none of them); a trigger with any other
 * condition never fires here.
 */
export function triggerFires(trigger: SandboxTrigger, change: TicketChange): boolean {
  if (!trigger.active) return false;
  const holds = (c: { field: string; operator: string; value: unknown }): boolean => {
    const status = change.ticket.status;
    if (c.field === 'status' && c.operator === 'value') return status === c.value && change.previousStatus !== c.value;
    if (c.field === 'status' && c.operator === 'is') return status === c.value;
    if (c.field === 'status' && c.operator === 'is_not') return status !== c.value;
    if (c.field === 'update_type' && c.operator === 'is') return c.value === (change.previousStatus === null ? 'Create' : 'Change');
    if (c.field === 'current_tags' && typeof c.value === 'string') {
      const listed = c.value.toLowerCase().split(/\s+/).filter(Boolean);
      const found = listed.some((tag) => change.ticket.tags.includes(tag));
      if (c.operator === 'includes') return found;
      if (c.operator === 'not_includes') return !found;
    }
    return false;
  };
  return trigger.conditions.all.every(holds) && (trigger.conditions.any.length === 0 || trigger.conditions.any.some(holds));
}

export function newSigningSecret(): string {
  return randomBytes(32).toString('base64');
}

/** Zendesk webhook ids are ULIDs (26 characters, Crockford base32). */
export function newWebhookId(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return `01${[...randomBytes(24)].map((b) => alphabet[b % 32]).join('')}`;
}

/** Signs and POSTs one rendered body the way Zendesk does, retrying a few times on 5xx or no connection. */
export async function deliver(
  webhook: SandboxWebhook,
  body: string,
  options: { now: () => number; attempts: number; retryDelayMs: number; record: (call: WebhookCall) => void },
): Promise<void> {
  const invocationId = String(Math.floor(1e9 + Math.random() * 9e9));
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    const timestamp = zendeskTime(options.now());
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Zendesk Webhook',
      'x-zendesk-account-id': '1234567',
      'x-zendesk-webhook-id': webhook.id,
      'x-zendesk-webhook-invocation-id': invocationId,
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': createHmac('sha256', webhook.signingSecret)
        .update(timestamp + body)
        .digest('base64'),
    };
    const call: WebhookCall = { webhookId: webhook.id, invocationId, endpoint: webhook.endpoint, attempt, headers, body, status: null, error: null, dropped: false };
    try {
      const response = await fetch(webhook.endpoint, { method: webhook.http_method, headers, body, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer().catch(() => undefined);
      call.status = response.status;
    } catch (error) {
      call.error = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    }
    options.record(call);
    if (call.status !== null && call.status < 500) return;
    if (attempt < options.attempts) await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs * attempt));
  }
}
