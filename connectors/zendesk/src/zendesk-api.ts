import { createClient, ZendeskClient } from 'node-zendesk';
import { ApiUsage, CallMeter, failureOf, HttpFailure, RateLimiter, SharedRateBudget, Sleep, withDeadline, withRetry } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { ZendeskCredentials } from './zendesk-credentials';
import { networkError, responseError, sdkError } from './zendesk-errors';
import { ZendeskSettings } from './zendesk-settings';

/** The incremental export has its own budget on top of the account's. */
export type Lane = 'general' | 'export';

type Method = 'GET' | 'POST' | 'PUT';
/** The node-zendesk services whose raw transport we use (paged reads, requests with our own headers). */
export type RawService = 'ticketexport' | 'webhooks' | 'triggers' | 'tickets' | 'ticketfields';
/** node-zendesk path segments; a trailing object becomes the query string. */
export type PathSegments = Array<string | number | Record<string, string | number | boolean>>;

/** One request through the node-zendesk client; resolves to `{ result }` like its methods do. */
export type Send = (client: ZendeskClient) => Promise<unknown>;

/**
 * A `Send` through a service's own transport (each node-zendesk service knows its URL style:
 * webhooks take no ".json"), with headers node-zendesk has no per-request option for
 * (Idempotency-Key). Its URL builder pops the query object off the array it is given, so
 * every attempt gets a fresh copy.
 */
export function rawSend(service: RawService, method: Method, path: PathSegments, body?: unknown, headers: Record<string, string> = {}): Send {
  return (client) => {
    const transporter = client[service].transporter;
    const options = transporter.prepareOptionsForRequest(method, [...path], body) as { headers: Record<string, string> };
    return transporter.sendRequest({ ...options, headers: { ...options.headers, ...headers } });
  };
}

interface TransportInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** The account's API root: node-zendesk's endpointUri (the sandbox, or https://{subdomain}.zendesk.com/api/v2). */
export function endpointUri(credentials: ZendeskCredentials): string {
  const base = credentials.baseUrl ?? zendeskDescriptor.baseUrlTemplate.replace('{subdomain}', credentials.subdomain);
  return `${base.replace(/\/+$/, '')}${zendeskDescriptor.apiPath}`;
}

function lowerCased(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name.toLowerCase()] = value));
  return out;
}

/**
 * node-zendesk adds page[size]=100 to every GET whose path matches its cursor-pagination list,
 * which includes incremental/tickets/*: the incremental export is not a paginated list and pages
 * by up to 1,000 on its own, so the parameter is dropped there.
 */
function withoutListPaging(uri: string): string {
  const url = new URL(uri);
  if (!url.pathname.includes('/incremental/') || !url.searchParams.has('page[size]')) return uri;
  url.searchParams.delete('page[size]');
  return url.toString();
}

/**
 * The one door to Zendesk for a connection. node-zendesk builds the URLs and the Authorization
 * header; its transport is ours, so every HTTP request is counted by the call meter, spaced by
 * our rate limiters, and a non-2xx answer becomes a VendorError with Zendesk's own words and the
 * Retry-After it sent (node-zendesk would replace both with a hard-coded message). Retries are
 * core withRetry's; node-zendesk's throttle stays off.
 */
export class ZendeskApi {
  private readonly client: ZendeskClient;
  private readonly meter = new CallMeter();
  private readonly general: RateLimiter;
  private readonly exports: RateLimiter;
  private usage: ApiUsage | undefined;

  constructor(
    credentials: ZendeskCredentials,
    settings: ZendeskSettings,
    private readonly hooks: {
      sleep?: Sleep;
      log?: (message: string, fields?: Record<string, unknown>) => void;
      requestTimeoutMs?: number;
      rateBudget?: SharedRateBudget;
    } = {},
  ) {
    // Counted per connection in the shared store, so every worker's calls share Zendesk's minute.
    const shared = hooks.rateBudget;
    this.general = new RateLimiter({ requests: settings.requestsPerMinute, perMs: 60_000 }, { vendor: 'zendesk', name: 'general', shared });
    this.exports = new RateLimiter({ requests: settings.exportRequestsPerMinute, perMs: 60_000 }, { vendor: 'zendesk', name: 'exports', shared });
    const auth =
      credentials.authType === 'oauth'
        ? { token: credentials.accessToken, useOAuth: true }
        : { username: credentials.email, token: credentials.apiToken };
    this.client = createClient({
      ...auth,
      subdomain: credentials.subdomain,
      endpointUri: endpointUri(credentials),
      throwOriginalException: true,
      transportConfig: { transportFn: this.transport, responseAdapter: adaptResponse },
    });
  }

  /** One Zendesk request through a node-zendesk client method, retried per core withRetry; resolves to its `result`. */
  call<T>(lane: Lane, send: Send, signal?: AbortSignal): Promise<T> {
    return this.retrying(() => this.once<T>(lane, send), failureOf, signal);
  }

  /**
   * One attempt, no retry: for writes whose resend could duplicate what the first attempt made,
   * so the caller decides what to check before sending again (safe-writes.ts).
   */
  once<T>(lane: Lane, send: Send): Promise<T> {
    const timeout = this.hooks.requestTimeoutMs ?? zendeskDescriptor.requestTimeoutMs;
    return this.schedule(lane, () =>
      withDeadline((async () => ((await send(this.client)) as { result: T }).result)(), timeout, 'zendesk', 'Zendesk'),
    );
  }

  /** Core withRetry with this connection's sleep and retry log: the only retry loop the connector uses. */
  retrying<T>(attempt: () => Promise<T>, toFailure: (error: unknown) => HttpFailure | undefined, signal?: AbortSignal): Promise<T> {
    return withRetry(attempt, toFailure, {
      facts: zendeskDescriptor.retry,
      sleep: this.hooks.sleep,
      signal,
      onRetry: (decision, error) =>
        this.hooks.log?.('zendesk: retrying', { reason: decision.reason, waitMs: decision.waitMs, message: (error as Error).message }),
    });
  }

  /**
   * A request whose whole JSON body we need: paged reads (export, webhook and trigger lists),
   * where node-zendesk's methods keep only the records (jsonAPINames), page on their own
   * (getAll) or send wrong parameters (exportCursor: `cursor=undefined` on the first page).
   */
  raw<T>(lane: Lane, service: RawService, method: Method, path: PathSegments, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.call<T>(lane, rawSend(service, method, path, body), signal);
  }

  apiCalls(): number {
    return this.meter.calls;
  }

  apiUsage(): ApiUsage | undefined {
    return this.usage;
  }

  private async schedule<T>(lane: Lane, request: () => Promise<T>): Promise<T> {
    const mapped = () => request().catch((error: unknown) => Promise.reject(sdkError(error)));
    // An export counts in both budgets: both slots are taken together, just before it is sent.
    return lane === 'export' ? this.general.scheduleWith(this.exports, mapped) : this.general.schedule(mapped);
  }

  private readonly transport = async (uri: string, init: TransportInit): Promise<Response> => {
    this.meter.add();
    let response: Response;
    try {
      response = await fetch(withoutListPaging(uri), { method: init.method, headers: init.headers, body: init.body });
    } catch (error) {
      throw networkError(error);
    }
    const headers = lowerCased(response.headers);
    this.noteUsage(headers);
    if (!response.ok) throw responseError(response.status, headers, await response.text().catch(() => ''));
    return response;
  };

  private noteUsage(headers: Record<string, string>): void {
    const limit = Number(headers[zendeskDescriptor.rateLimitHeader]);
    const remaining = Number(headers[zendeskDescriptor.rateLimitRemainingHeader]);
    if (headers[zendeskDescriptor.rateLimitHeader] === undefined || !Number.isFinite(limit) || !Number.isFinite(remaining)) return;
    this.usage = { used: Math.max(0, limit - remaining), limit };
  }
}

/** What node-zendesk reads from a response. It treats any response carrying Retry-After as a 429; a 2xx is a success whatever its headers. */
function adaptResponse(response: Response) {
  return {
    json: () => response.json(),
    status: response.status,
    statusText: response.statusText,
    headers: { get: (name: string) => (name.toLowerCase() === 'retry-after' ? null : response.headers.get(name)) },
  };
}
