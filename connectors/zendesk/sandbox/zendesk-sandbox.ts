import { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, VendorSandbox } from '../../core/src';
import { SandboxAutomation } from './sandbox-automation';
import { LimitVerdict, SandboxRateLimits } from './sandbox-limits';
import { SandboxTicket, SandboxTicketStatus, SandboxUser } from './sandbox-records';
import { Answer, moveTicket } from './sandbox-tickets';
import { apiRoute, RouteContext } from './sandbox-routes';
import { KnownRequester, SandboxData, seedData } from './sandbox-seed';
import { createTicketFor, FaultKind, faultAnswer, SandboxMutation } from './sandbox-mutations';
import { WebhookCall } from './sandbox-webhooks';

export interface ZendeskSandboxOptions {
  /** Same seed, same account (default 1). */
  seed?: number;
  /** Base URL written into after_url and ticket urls; default http://{Host header}. */
  publicUrl?: string;
  /** The admin whose email goes with the API token (default admin@acme.test). */
  adminEmail?: string;
  /** The accepted API token, as `{email}/token:{apiToken}` (default sandbox-api-token). */
  apiToken?: string;
  /** The accepted OAuth access token (default sandbox-oauth-token). */
  oauthToken?: string;
  /** CRM account ids: one organization each, with external_id = the id. */
  accountExternalIds?: string[];
  /** Organizations without a CRM link (default 3). */
  unlinkedOrganizations?: number;
  /** End users the CRM knows (same emails), placed in their account's organization. */
  knownRequesters?: KnownRequester[];
  /** Generated end users (default 40) and tickets (default 60, some solved or closed). */
  users?: number;
  tickets?: number;
  /** The custom ticket field for the NPS score (default 360000000001, type integer). */
  npsScoreFieldId?: number;
  /** Delay before each API answer. */
  latencyMs?: number;
  /** Per token, per rolling minute (defaults 400 and 10, like Zendesk). */
  requestsPerMinute?: number;
  exportRequestsPerMinute?: number;
  /** Tickets per export page (default 1,000). */
  exportPageSize?: number;
  /** Leave the last minute out of exports, like Zendesk (default true). */
  excludeLastMinute?: boolean;
  /** Drop every webhook call (missed deliveries only reconciliation catches). */
  dropWebhooks?: boolean;
  /** Attempts per webhook call on 5xx or no connection (default 3), spaced by n × this delay (default 100 ms). */
  webhookAttempts?: number;
  webhookRetryDelayMs?: number;
  /** The sandbox's clock; default real time plus advanceClock(). */
  now?: () => number;
}

export const SANDBOX_DEFAULTS = {
  adminEmail: 'admin@acme.test',
  apiToken: 'sandbox-api-token',
  oauthToken: 'sandbox-oauth-token',
  npsScoreFieldId: 360000000001,
} as const;

/** An imitation of Zendesk Support for the endpoints nps-bridge uses, with Zendesk's limits, errors and signed webhooks. */
export class ZendeskSandbox implements VendorSandbox {
  readonly name = 'zendesk';
  readonly data: SandboxData;
  private readonly automation: SandboxAutomation;
  private readonly limits: SandboxRateLimits;
  private readonly faults: Array<{ kind: FaultKind; retryAfterSeconds: number }> = [];
  private readonly log: Array<{ method: string; url: string; status: number }> = [];
  private clockOffset = 0;
  private received = 0;

  constructor(private readonly options: ZendeskSandboxOptions = {}) {
    this.data = seedData({
      seed: options.seed ?? 1,
      accountExternalIds: options.accountExternalIds ?? [],
      unlinkedOrganizations: options.unlinkedOrganizations ?? 3,
      knownRequesters: options.knownRequesters ?? [],
      users: options.users ?? 40,
      tickets: options.tickets ?? 60,
      adminEmail: options.adminEmail ?? SANDBOX_DEFAULTS.adminEmail,
      npsScoreFieldId: options.npsScoreFieldId ?? SANDBOX_DEFAULTS.npsScoreFieldId,
      now: this.now(),
    });
    this.limits = new SandboxRateLimits({ general: options.requestsPerMinute ?? 400, export: options.exportRequestsPerMinute ?? 10 });
    this.automation = new SandboxAutomation(this.data, {
      now: () => this.now(),
      dropWebhooks: options.dropWebhooks ?? false,
      webhookAttempts: options.webhookAttempts ?? 3,
      webhookRetryDelayMs: options.webhookRetryDelayMs ?? 100,
    });
  }

  now(): number {
    return (this.options.now ?? Date.now)() + this.clockOffset;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.serve(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: 'InternalError', description: (error as Error).message });
    });
  }

  calls(): number {
    return this.received;
  }

  resetCalls(): void {
    this.received = 0;
    this.log.length = 0;
  }

  /** Every API request since the last reset: method, URL as received (query included), status answered. */
  requests(): Array<{ method: string; url: string; status: number }> {
    return this.log.map((entry) => ({ ...entry }));
  }

  // ---- mutations (also POST /_sandbox/mutate) ----

  solveTicket(id: number): SandboxTicket {
    return this.move(id, 'solved');
  }

  reopenTicket(id: number): SandboxTicket {
    return this.move(id, 'open');
  }

  closeTicket(id: number): SandboxTicket {
    return this.move(id, 'closed');
  }

  deleteTicket(id: number): SandboxTicket {
    return this.move(id, 'deleted');
  }

  createTicket(input: { requesterEmail: string; organizationExternalId?: string; status?: SandboxTicketStatus; subject?: string }): SandboxTicket {
    const ticket = createTicketFor(this.data, input, this.now());
    this.automation.ticketChanged({ ticket, previousStatus: null });
    return structuredClone(ticket);
  }

  advanceClock(ms: number): void {
    this.clockOffset += ms;
  }

  /** The next n API requests fail this way (before auth and limits, like an edge failure). */
  failNext(n: number, kind: FaultKind, retryAfterSeconds = 1): void {
    for (let i = 0; i < n; i++) this.faults.push({ kind, retryAfterSeconds });
  }

  dropNextWebhooks(n: number): void {
    this.automation.dropNextWebhooks(n);
  }

  mutate(mutation: SandboxMutation): unknown {
    switch (mutation.action) {
      case 'solveTicket':
        return this.solveTicket(mutation.id);
      case 'reopenTicket':
        return this.reopenTicket(mutation.id);
      case 'closeTicket':
        return this.closeTicket(mutation.id);
      case 'deleteTicket':
        return this.deleteTicket(mutation.id);
      case 'createTicket':
        return this.createTicket(mutation);
      case 'advanceClock':
        return this.advanceClock(mutation.ms);
      case 'failNext':
        return this.failNext(mutation.n, mutation.kind, mutation.retryAfterSeconds);
      case 'dropNextWebhooks':
        return this.dropNextWebhooks(mutation.n);
      default:
        throw new Error(`unknown sandbox action ${JSON.stringify((mutation as { action?: unknown }).action)}`);
    }
  }

  // ---- inspection ----

  /** A ticket with everything Zendesk keeps: fields, tags, comments (private notes included), type, due_at, group. */
  ticket(id: number): SandboxTicket | undefined {
    const ticket = this.data.tickets.get(id);
    return ticket ? structuredClone(ticket) : undefined;
  }

  webhookCalls(): WebhookCall[] {
    return this.automation.calls.map((call) => ({ ...call, headers: { ...call.headers } }));
  }

  /** Resolves when every webhook delivery started so far has finished, retries included. */
  webhooksDelivered(): Promise<void> {
    return this.automation.delivered();
  }

  private move(id: number, to: SandboxTicketStatus): SandboxTicket {
    const ticket = this.data.tickets.get(id);
    if (!ticket) throw new Error(`no ticket ${id}`);
    const previousStatus = ticket.status;
    if (previousStatus === to) return structuredClone(ticket);
    moveTicket(ticket, to, this.now());
    this.automation.ticketChanged({ ticket, previousStatus });
    return structuredClone(ticket);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const text = await readBody(req);
    if (url.pathname === '/_sandbox/mutate' && method === 'POST') {
      try {
        return sendJson(res, 200, { ok: true, result: this.mutate(JSON.parse(text) as SandboxMutation) ?? null });
      } catch (error) {
        return sendJson(res, 400, { ok: false, error: (error as Error).message });
      }
    }
    this.received++;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const answer = await this.answer(method, url, text, req);
    this.log.push({ method, url: `${url.pathname}${url.search}`, status: answer.status });
    if (answer.status === 0) return void req.socket.destroy();
    if (answer.body === undefined) {
      res.writeHead(answer.status, answer.headers);
      return void res.end();
    }
    sendJson(res, answer.status, answer.body, answer.headers);
  }

  private async answer(method: string, url: URL, text: string, req: IncomingMessage): Promise<Answer & { headers?: Record<string, string> }> {
    const fault = this.faults.shift();
    if (fault) return faultAnswer(fault.kind, fault.retryAfterSeconds);
    const user = this.authenticate(req.headers.authorization);
    if (!user) return { status: 401, body: { error: "Couldn't authenticate you" } };
    const parts = url.pathname.replace(/\.json$/, '').split('/').filter(Boolean);
    if (parts[0] !== 'api' || parts[1] !== 'v2') return { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } };
    const isExport = parts[2] === 'incremental';
    const verdict = this.limits.admit(req.headers.authorization ?? '', isExport ? ['general', 'export'] : ['general'], this.now());
    const headers = { 'X-Rate-Limit': String(verdict.limit), 'X-Rate-Limit-Remaining': String(verdict.remaining) };
    if (!verdict.allowed) return { ...rateLimited(verdict), headers: { ...headers, 'Retry-After': String(verdict.retryAfterSeconds) } };
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return { status: 400, body: { error: 'InvalidJSON', description: 'The request body is not valid JSON' }, headers };
    }
    const context: RouteContext = {
      data: this.data,
      automation: this.automation,
      user,
      now: this.now(),
      baseUrl: this.options.publicUrl ?? `http://${req.headers.host ?? 'localhost'}`,
      exportPageSize: this.options.exportPageSize ?? 1000,
      excludeLastMinute: this.options.excludeLastMinute ?? true,
    };
    return { ...apiRoute(method, parts.slice(2), url.searchParams, body, context), headers };
  }

  /** `Basic base64({agent email}/token:{token})` (the token is account-wide) or `Bearer {oauth token}`. */
  private authenticate(header: string | undefined): SandboxUser | undefined {
    const admin = [...this.data.users.values()].find((u) => u.role === 'admin');
    if (!header) return undefined;
    if (header === `Bearer ${this.options.oauthToken ?? SANDBOX_DEFAULTS.oauthToken}`) return admin;
    const basic = /^Basic (.+)$/.exec(header);
    if (!basic) return undefined;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const match = /^(.+)\/token:(.+)$/.exec(decoded);
    if (!match || match[2] !== (this.options.apiToken ?? SANDBOX_DEFAULTS.apiToken)) return undefined;
    const email = match[1].toLowerCase();
    return [...this.data.users.values()].find((u) => u.role !== 'end-user' && u.email?.toLowerCase() === email);
  }
}

/** Our imitation of Zendesk's 429 bodies (its wording for these is not in vendor-apis.md). */
function rateLimited(verdict: LimitVerdict): Answer {
  const what = verdict.lane === 'export' ? 'incremental export API requests' : 'API requests';
  return { status: 429, body: { error: 'APIRateLimitExceeded', description: `Number of allowed ${what} per minute exceeded` } };
}

export function createZendeskSandbox(options: ZendeskSandboxOptions = {}): ZendeskSandbox {
  return new ZendeskSandbox(options);
}
