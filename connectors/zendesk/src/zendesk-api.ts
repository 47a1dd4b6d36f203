import { createClient, ZendeskClient } from 'node-zendesk';
import { ApiUsage, CredentialRenewal, GuardedWrite, OAuthSession, SharedRateBudget, Sleep, VendorHttp } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { ZendeskCredentials } from './zendesk-credentials';
import { answerFailure, networkFailure, sdkFailure } from './zendesk-errors';
import { accountBaseUrl, postTokens, withTokens } from './zendesk-oauth';
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
function endpointUri(credentials: ZendeskCredentials): string {
  return `${accountBaseUrl(credentials)}${zendeskDescriptor.apiPath}`;
}

/** The request's headers with our bearer token in place of node-zendesk's (whatever case it used). */
function withBearer(headers: Record<string, string>, token: string): Record<string, string> {
  const others = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
  return { ...others, Authorization: `Bearer ${token}` };
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
 * node-zendesk behind core's door (VendorHttp). node-zendesk builds the URLs and the
 * Authorization header; its transport is ours, so every HTTP request is counted, its usage
 * headers noted, and a non-2xx answer becomes a VendorError with Zendesk's own words and the
 * Retry-After it sent (node-zendesk would replace both with a hard-coded message). Rate limits,
 * deadline and retries are the door's; node-zendesk's throttle stays off.
 */
export class ZendeskApi {
  private readonly client: ZendeskClient;
  private readonly http: VendorHttp;
  /** OAuth with a refresh token: the tokens and their renewal (one for every caller and process). */
  private readonly session: OAuthSession<ZendeskCredentials> | undefined;

  constructor(
    credentials: ZendeskCredentials,
    settings: ZendeskSettings,
    hooks: {
      sleep?: Sleep;
      log?: (message: string, fields?: Record<string, unknown>) => void;
      requestTimeoutMs?: number;
      rateBudget?: SharedRateBudget;
      onCredentialsRefreshed?: (credentials: ZendeskCredentials) => Promise<void>;
      renewCredentials?: CredentialRenewal<ZendeskCredentials>;
    } = {},
  ) {
    this.session =
      credentials.authType === 'oauth' && credentials.refreshToken
        ? new OAuthSession<ZendeskCredentials>(credentials, {
            refresh: (stored) => this.refreshTokens(stored),
            renewCredentials: hooks.renewCredentials,
            onCredentialsRefreshed: hooks.onCredentialsRefreshed,
            marginMs: zendeskDescriptor.tokenRefreshMarginMs,
            log: (message, fields) => hooks.log?.(`zendesk: ${message}`, fields),
          })
        : undefined;
    // Counted per connection in the shared store, so every worker's calls share Zendesk's minute.
    this.http = new VendorHttp({
      facts: zendeskDescriptor,
      readFailure: sdkFailure,
      sleep: hooks.sleep,
      log: hooks.log,
      requestTimeoutMs: hooks.requestTimeoutMs,
      rateBudget: hooks.rateBudget,
      // An export counts in both budgets: both slots are taken together, just before it is sent.
      limits: {
        general: { name: 'general', budget: { requests: settings.requestsPerMinute, perMs: 60_000 } },
        narrower: { export: { name: 'exports', budget: { requests: settings.exportRequestsPerMinute, perMs: 60_000 } } },
      },
      countsAtTransport: true,
    });
    const auth = credentials.authType === 'oauth' ? { token: credentials.accessToken, useOAuth: true } : { username: credentials.email, token: credentials.apiToken };
    this.client = createClient({
      ...auth,
      subdomain: credentials.subdomain,
      endpointUri: endpointUri(credentials),
      throwOriginalException: true,
      transportConfig: { transportFn: this.transport, responseAdapter: adaptResponse },
    });
  }

  /** One Zendesk request through a node-zendesk client method, retried per core's policy; resolves to its `result`. */
  call<T>(lane: Lane, send: Send, signal?: AbortSignal): Promise<T> {
    return this.http.retrying(() => this.once<T>(lane, send), signal);
  }

  /**
   * One attempt, no retry: for writes whose resend could duplicate what the first attempt made
   * (writeGuarded decides what to check before sending again), and lookups inside its loop.
   */
  once<T>(lane: Lane, send: Send): Promise<T> {
    return this.http.once(async () => ((await send(this.client)) as { result: T }).result, { lane });
  }

  /**
   * A write never resent blindly (core's guardedWrite): after an attempt that may have landed,
   * `landed()` is asked before sending again; creates also carry an Idempotency-Key, so a resend
   * within Zendesk's key window is answered with the first result. Retries run out after such an
   * attempt: VendorError OUTCOME_UNKNOWN, so the caller looks before it writes again.
   */
  writeGuarded<T>(write: GuardedWrite<T>): Promise<T> {
    return this.http.guardedWrite(write);
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
    return this.http.apiCalls();
  }

  apiUsage(): ApiUsage | undefined {
    return this.http.apiUsage();
  }

  private async fetchOnce(uri: string, init: TransportInit, token: string | undefined): Promise<Response> {
    this.http.countRequest();
    try {
      return await fetch(withoutListPaging(uri), { method: init.method, headers: token ? withBearer(init.headers, token) : init.headers, body: init.body });
    } catch (error) {
      throw this.http.vendorError(networkFailure(error));
    }
  }

  /** POST /oauth/tokens, grant refresh_token: a new access token and a new refresh token (the old pair ends). */
  private async refreshTokens(stored: ZendeskCredentials): Promise<ZendeskCredentials> {
    const said = await postTokens(
      accountBaseUrl(stored),
      {
        grant_type: 'refresh_token',
        refresh_token: stored.refreshToken,
        client_id: stored.clientId,
        client_secret: stored.clientSecret,
        expires_in: zendeskDescriptor.oauthAccessTokenSeconds,
      },
      () => this.http.countRequest(),
    );
    if ('failure' in said) throw this.http.vendorError(said.failure, true);
    return withTokens(stored, said);
  }

  /**
   * Every HTTP request node-zendesk makes. With OAuth tokens that renew (README "OAuth"): a due
   * token is renewed first, and a 401 renews it once (shared with every caller that saw the same
   * token refused) and sends the request again: nothing was done by a refused request.
   */
  private readonly transport = async (uri: string, init: TransportInit): Promise<Response> => {
    const session = this.session;
    if (session?.due()) await session.renew();
    const token = session?.accessToken;
    let response = await this.fetchOnce(uri, init, token);
    if (session && response.status === 401) {
      await response.body?.cancel().catch(() => undefined);
      await session.renew(token);
      response = await this.fetchOnce(uri, init, session.accessToken);
    }
    const headers = lowerCased(response.headers);
    this.http.noteHeaders(headers);
    if (!response.ok) throw this.http.vendorError(answerFailure(response.status, headers, await response.text().catch(() => '')));
    return response;
  };
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
