import { IncomingMessage, ServerResponse } from 'node:http';
import { Answer } from './sandbox-answers';
import { SandboxAutomation } from './sandbox-automation';
import { controlRoute, SandboxControls } from './sandbox-control';
import { rateLimited, SandboxRateLimits } from './sandbox-limits';
import { createTicketFor, FaultKind, faultAnswer, SandboxMutation, unavailable } from './sandbox-mutations';
import { SandboxTicket, SandboxTicketStatus, SandboxUser, zendeskTime } from './sandbox-records';
import { apiRoute, RouteContext } from './sandbox-routes';
import { SANDBOX_DEFAULTS, ZendeskSandboxOptions } from './sandbox-options';
import { ZendeskOAuthServer } from './sandbox-oauth';
import { SandboxData, seedData } from './sandbox-seed';
import { restoreInto, snapshotOf, ZendeskSandboxState, zendeskStateFile } from './sandbox-state';
import { moveTicket } from './sandbox-tickets';
import { WebhookCall } from './sandbox-webhooks';
import { SandboxWrites, WriteCall } from './sandbox-writes';
import { readBody, sendJson, VendorSandbox } from '../kit/sandbox';
import { SandboxStateFile } from '../kit/sandbox-state-file';

export { SANDBOX_DEFAULTS } from './sandbox-options';
export type { ZendeskSandboxOptions } from './sandbox-options';

/** An imitation of Zendesk Support for the endpoints nps-bridge uses, with Zendesk's limits, errors and signed webhooks. */
export class ZendeskSandbox implements VendorSandbox, SandboxControls {
  readonly name = 'zendesk';
  readonly data: SandboxData;
  private readonly automation: SandboxAutomation;
  private readonly limits: SandboxRateLimits;
  private readonly writes = new SandboxWrites();
  /** The OAuth client's consent page and token endpoint. */
  readonly oauthServer: ZendeskOAuthServer;
  private readonly faults: Array<{ kind: FaultKind; retryAfterSeconds: number }> = [];
  private readonly log: Array<{ method: string; url: string; status: number }> = [];
  private outageRetryAfter: number | null = null;
  private clockOffset = 0;
  private received = 0;
  private readonly stateFile: SandboxStateFile<ZendeskSandboxState> | undefined;
  /** true when this sandbox was built from its state file (options.stateFile), false when seeded anew. */
  readonly restored: boolean = false;

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
    this.oauthServer = new ZendeskOAuthServer(
      options.oauthClient ?? { clientId: SANDBOX_DEFAULTS.oauthClientId, clientSecret: SANDBOX_DEFAULTS.oauthClientSecret },
      () => this.now(),
      () => options.adminEmail ?? SANDBOX_DEFAULTS.adminEmail,
    );
    this.stateFile = options.stateFile ? zendeskStateFile(options.stateFile) : undefined;
    const saved = this.stateFile?.read();
    if (saved) this.restore(saved);
    this.restored = saved !== undefined;
    this.saveSoon();
  }

  /** The state a restart keeps (records, id counters, webhooks, triggers), as plain JSON. */
  snapshot(): ZendeskSandboxState {
    return snapshotOf({ data: this.data, automation: this.automation, writes: this.writes, oauth: this.oauthServer });
  }

  /** Continues from a snapshot: the next ticket, comment and trigger ids follow the saved ones. */
  restore(state: ZendeskSandboxState): void {
    restoreInto({ data: this.data, automation: this.automation, writes: this.writes, oauth: this.oauthServer }, state);
    this.saveSoon();
  }

  /** Writes the state file now if anything changed (at shutdown); nothing without options.stateFile. */
  async flush(): Promise<void> {
    await this.stateFile?.flush();
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
    this.writes.calls.length = 0;
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

  /** What Zendesk's automation does days after a ticket is solved: solved → closed. Only a solved ticket closes. */
  closeTicket(id: number): SandboxTicket {
    const status = this.data.tickets.get(id)?.status;
    if (status !== undefined && status !== 'solved' && status !== 'closed') throw new Error(`ticket ${id} is ${status}; only a solved ticket closes`);
    return this.move(id, 'closed');
  }

  deleteTicket(id: number): SandboxTicket {
    return this.move(id, 'deleted');
  }

  createTicket(input: { requesterEmail: string; organizationExternalId?: string; status?: SandboxTicketStatus; subject?: string }): SandboxTicket {
    const ticket = createTicketFor(this.data, input, this.now());
    this.automation.ticketChanged({ ticket, previousStatus: null });
    this.saveSoon();
    return structuredClone(ticket);
  }

  advanceClock(ms: number): void {
    this.clockOffset += ms;
  }

  /** The next n API requests fail this way (before auth and limits, like an edge failure). */
  failNext(n: number, kind: FaultKind, retryAfterSeconds = 1): void {
    for (let i = 0; i < n; i++) this.faults.push({ kind, retryAfterSeconds });
  }

  /** While on, every API request answers 503 with Retry-After; nothing is read or written. */
  outage(on: boolean, retryAfterSeconds = 30): void {
    this.outageRetryAfter = on ? retryAfterSeconds : null;
  }

  /** The next `count` ticket creates through the API are made, then answered 503 (the answer lost, the ticket there). */
  failAfterWrite(count: number): void {
    this.writes.failAfterWrite(count);
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
      case 'outage':
        return this.outage(mutation.on, mutation.retryAfterSeconds);
      case 'failAfterWrite':
        return this.failAfterWrite(mutation.count);
      case 'expireTokens':
        return this.oauthServer.expireAccessTokens();
      case 'revokeRefreshTokens':
        return this.oauthServer.revokeRefreshTokens();
      default:
        throw new Error(`unknown sandbox action ${JSON.stringify((mutation as { action?: unknown }).action)}`);
    }
  }

  // ---- inspection (also GET /_sandbox/...) ----

  /** A ticket with everything Zendesk keeps: status, type, tags, custom fields, comments (public flag), due_at, group, external_id, follow-up source. */
  ticket(id: number): SandboxTicket | undefined {
    const ticket = this.data.tickets.get(id);
    return ticket ? structuredClone(ticket) : undefined;
  }

  /** Tickets created through the API (POST /api/v2/tickets), oldest first, as they are now; replays not counted. */
  createdTickets(): SandboxTicket[] {
    return this.writes.createdTicketIds.flatMap((id) => this.ticket(id) ?? []);
  }

  /** Write requests received since the last reset, whatever was answered. */
  writeCalls(): WriteCall[] {
    return structuredClone(this.writes.calls);
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
    this.saveSoon();
    return structuredClone(ticket);
  }

  /** With a state file, schedules a write of the current state (debounced by the file). */
  private saveSoon(): void {
    this.stateFile?.changed(() => this.snapshot());
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const text = await readBody(req);
    if (url.pathname.startsWith('/_sandbox/')) {
      const answer = controlRoute(this, method, url.pathname, text);
      return sendJson(res, answer.status, answer.body);
    }
    // The OAuth client's consent page: a person's, not an API call.
    if (url.pathname === '/oauth/authorizations/new' && method === 'GET') return this.oauthServer.authorize(url.searchParams, res);
    if (url.pathname === '/oauth/authorizations/new' && method === 'POST') return this.oauthServer.decide(new URLSearchParams(text), res);
    this.received++;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const answer = await this.answer(method, url, text, req);
    this.log.push({ method, url: `${url.pathname}${url.search}`, status: answer.status });
    if (method !== 'GET' && url.pathname.startsWith('/api/')) {
      this.writes.recordRequest({ method, url: `${url.pathname}${url.search}`, text, answer, idempotencyKey: req.headers['idempotency-key'], at: zendeskTime(this.now()) });
      this.saveSoon();
    }
    if (answer.status === 0) return void req.socket.destroy();
    if (answer.body === undefined) {
      res.writeHead(answer.status, answer.headers);
      return void res.end();
    }
    sendJson(res, answer.status, answer.body, answer.headers);
  }

  private async answer(method: string, url: URL, text: string, req: IncomingMessage): Promise<Answer> {
    if (this.outageRetryAfter !== null) return unavailable(this.outageRetryAfter);
    const fault = this.faults.shift();
    if (fault) return faultAnswer(fault.kind, fault.retryAfterSeconds);
    if (url.pathname === '/oauth/tokens') {
      if (method !== 'POST') return { status: 405, body: { error: 'MethodNotAllowed', description: 'POST only' } };
      const answer = this.oauthServer.token(tokenRequestBody(text, req.headers['content-type']));
      this.saveSoon();
      return answer;
    }
    const user = this.authenticate(req.headers.authorization);
    if (!user) return { status: 401, body: { error: "Couldn't authenticate you" } };
    const parts = url.pathname
      .replace(/\.json$/, '')
      .split('/')
      .filter(Boolean);
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
    const route = () => apiRoute(method, parts.slice(2), url.searchParams, body, context);
    const key = req.headers['idempotency-key'];
    const answered =
      method === 'POST' && parts.length === 3 && parts[2] === 'tickets'
        ? this.writes.ticketCreate(typeof key === 'string' && key !== '' ? key : null, body, context.now, route)
        : route();
    return { ...answered, headers: { ...headers, ...answered.headers } };
  }

  /** `Basic base64({agent email}/token:{token})` (the token is account-wide) or `Bearer {oauth token}`. */
  private authenticate(header: string | undefined): SandboxUser | undefined {
    const admin = [...this.data.users.values()].find((u) => u.role === 'admin');
    if (!header) return undefined;
    if (header === `Bearer ${this.options.oauthToken ?? SANDBOX_DEFAULTS.oauthToken}`) return admin;
    const bearer = /^Bearer (.+)$/.exec(header)?.[1];
    if (bearer && this.oauthServer.accepts(bearer)) return admin;
    const basic = /^Basic (.+)$/.exec(header);
    if (!basic) return undefined;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const match = /^(.+)\/token:(.+)$/.exec(decoded);
    if (!match || match[2] !== (this.options.apiToken ?? SANDBOX_DEFAULTS.apiToken)) return undefined;
    const email = match[1].toLowerCase();
    return [...this.data.users.values()].find((u) => u.role !== 'end-user' && u.email?.toLowerCase() === email);
  }
}

/** A token request's parameters: Zendesk documents a JSON body; a form body is read too. */
function tokenRequestBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed: unknown = JSON.parse(text || '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function createZendeskSandbox(options: ZendeskSandboxOptions = {}): ZendeskSandbox {
  return new ZendeskSandbox(options);
}
