import { Answer, badRequest } from './sandbox-answers';
import { SandboxMutation } from './sandbox-mutations';
import { SandboxTicket } from './sandbox-records';
import { WebhookCall } from './sandbox-webhooks';
import { WriteCall } from './sandbox-writes';

/** What the control endpoints reach: the sandbox's mutation and inspection methods. */
export interface SandboxControls {
  mutate(mutation: SandboxMutation): unknown;
  ticket(id: number): SandboxTicket | undefined;
  createdTickets(): SandboxTicket[];
  writeCalls(): WriteCall[];
  webhookCalls(): WebhookCall[];
}

/**
 * The sandbox's own endpoints under /_sandbox (no auth, never counted as API calls), for the
 * demo and end-to-end tests in another process:
 *   POST /_sandbox/mutate           a SandboxMutation → { ok, result }
 *   GET  /_sandbox/tickets/{id}     a ticket's full state (comments with their public flag, …)
 *   GET  /_sandbox/created-tickets  tickets created through the API, oldest first
 *   GET  /_sandbox/write-calls      write requests received (method, url, status, body, idempotency key)
 *   GET  /_sandbox/webhook-calls    webhook delivery attempts
 */
export function controlRoute(controls: SandboxControls, method: string, path: string, text: string): Answer {
  const [, , resource, id] = path.split('/');
  if (method === 'POST' && resource === 'mutate' && id === undefined) {
    try {
      return { status: 200, body: { ok: true, result: controls.mutate(JSON.parse(text) as SandboxMutation) ?? null } };
    } catch (error) {
      return { status: 400, body: { ok: false, error: (error as Error).message } };
    }
  }
  if (method !== 'GET') return { status: 405, body: { ok: false, error: `${method} is not supported on ${path}` } };
  switch (resource) {
    case 'tickets': {
      if (!/^\d+$/.test(id ?? '')) return badRequest('a ticket id is required: /_sandbox/tickets/{id}');
      const ticket = controls.ticket(Number(id));
      return ticket ? { status: 200, body: { ticket } } : { status: 404, body: { ok: false, error: `no ticket ${id}` } };
    }
    case 'created-tickets':
      return { status: 200, body: { tickets: controls.createdTickets() } };
    case 'write-calls':
      return { status: 200, body: { calls: controls.writeCalls() } };
    case 'webhook-calls':
      return { status: 200, body: { calls: controls.webhookCalls() } };
    default:
      return { status: 404, body: { ok: false, error: `no sandbox endpoint ${path}` } };
  }
}
