import { Client } from '@hubspot/api-client';
import { ApiUsage, CallMeter, ConnectorContext, failureOf, RateLimiter, VendorError, withDeadline, withRetry } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotCredentials } from './hubspot-credentials';
import { refusedTokenError, toVendorError } from './hubspot-errors';
import { HubSpotSettings } from './hubspot-settings';

/** What every SDK `…WithHttpInfo` method resolves to. */
interface WithHeaders<T> {
  headers: Record<string, string>;
  data: T;
}

/** Search calls pass both limiters: HubSpot counts them in the burst budget too. */
export type Lane = 'general' | 'search';

/**
 * The one door to HubSpot for a connection: every call is spaced by our rate limiters, counted
 * by the call meter, retried by core's policy, and carries a fresh token. The SDK's own
 * limiter and retries stay off so nothing waits or repeats behind our back.
 */
export class HubSpotApi {
  private readonly client: Client;
  private readonly meter = new CallMeter();
  private readonly burst: RateLimiter;
  private readonly searchLimiter: RateLimiter;
  private credentials: HubSpotCredentials;
  private refreshing: Promise<void> | undefined;
  private usage: ApiUsage | undefined;

  constructor(
    private readonly context: ConnectorContext<HubSpotCredentials, HubSpotSettings>,
    settings: HubSpotSettings,
  ) {
    this.credentials = { ...context.credentials };
    // Counted per connection in the shared store, so every worker's calls share HubSpot's windows.
    const shared = context.rateBudget;
    this.burst = new RateLimiter({ requests: settings.rateLimit.requestsPer10s, perMs: hubspotDescriptor.burst.perMs }, { vendor: 'hubspot', name: 'burst', shared });
    this.searchLimiter = new RateLimiter(
      { requests: settings.rateLimit.searchPerSecond, perMs: hubspotDescriptor.search.perMs, arrivalSlackMs: hubspotDescriptor.searchWindowSlackMs },
      { vendor: 'hubspot', name: 'search', shared },
    );
    this.client = new Client({
      accessToken: this.credentials.accessToken,
      basePath: this.credentials.baseUrl ?? hubspotDescriptor.baseUrl,
      numberOfApiCallRetries: 0,
    });
    this.pinApis();
  }

  /**
   * Sends one HubSpot request (plus any retries and a token refresh) and returns its body.
   * `repeatable: false` is for requests that must not run twice (creates): they are repeated
   * only after a 429, which HubSpot answers before doing anything; a 5xx or a dropped
   * connection may have written, so it is thrown to the caller instead of sent again.
   */
  call<T>(lane: Lane, send: (client: Client) => Promise<WithHeaders<T>>, signal?: AbortSignal, repeatable = true): Promise<T> {
    const classify = repeatable ? failureOf : (error: unknown) => (failureOf(error)?.status === 429 ? failureOf(error) : undefined);
    return withRetry(() => this.attempt(lane, send), classify, {
      facts: hubspotDescriptor.retry,
      sleep: this.context.sleep,
      signal,
      onRetry: (decision, error) =>
        this.context.log?.('hubspot: retrying', { reason: decision.reason, waitMs: decision.waitMs, message: (error as Error).message }),
    });
  }

  apiCalls(): number {
    return this.meter.calls;
  }

  apiUsage(): ApiUsage | undefined {
    return this.usage;
  }

  private get oauth(): boolean {
    return this.credentials.authType === 'oauth';
  }

  private async attempt<T>(lane: Lane, send: (client: Client) => Promise<WithHeaders<T>>): Promise<T> {
    if (this.oauth && this.tokenDue()) await this.refresh();
    try {
      return await this.send(lane, send);
    } catch (error) {
      // An OAuth token can be refused before its expiry (revoked, clocks apart): refresh once.
      if (!this.oauth || !(error instanceof VendorError) || error.details.status !== 401) throw error;
      await this.refresh();
      return this.send(lane, send);
    }
  }

  private async send<T>(lane: Lane, send: (client: Client) => Promise<WithHeaders<T>>): Promise<T> {
    const timeout = this.context.requestTimeoutMs ?? hubspotDescriptor.requestTimeoutMs;
    const request = () => this.meter.track(() => withDeadline(send(this.client), timeout, 'hubspot', 'HubSpot'));
    try {
      // Search counts in both budgets: both slots are taken together, just before it is sent.
      const response = await (lane === 'search' ? this.burst.scheduleWith(this.searchLimiter, request) : this.burst.schedule(request));
      this.noteUsage(response.headers);
      return response.data;
    } catch (error) {
      this.noteUsage((error as { headers?: Record<string, string> }).headers);
      throw toVendorError(error);
    }
  }

  private tokenDue(): boolean {
    const { accessToken, expiresAt } = this.credentials;
    if (!accessToken) return true;
    return expiresAt !== undefined && Date.parse(expiresAt) - hubspotDescriptor.tokenRefreshMarginMs <= Date.now();
  }

  /** One refresh at a time: concurrent callers share it. */
  private refresh(): Promise<void> {
    this.refreshing ??= this.refreshToken().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshToken(): Promise<void> {
    const { clientId, clientSecret, refreshToken } = this.credentials;
    if (!clientId || !clientSecret || !refreshToken) {
      throw new VendorError('hubspot', 'auth', 'HubSpot OAuth credentials need clientId, clientSecret and refreshToken');
    }
    let token;
    try {
      const response = await this.burst.schedule(() =>
        this.meter.track(() =>
          this.client.oauth.tokensApi.createWithHttpInfo('refresh_token', undefined, undefined, clientId, clientSecret, refreshToken),
        ),
      );
      token = response.data;
    } catch (error) {
      throw refusedTokenError(error);
    }
    this.credentials = {
      ...this.credentials,
      accessToken: token.accessToken,
      refreshToken: token.refreshToken || refreshToken,
      expiresAt: new Date(Date.now() + token.expiresIn * 1000).toISOString(),
    };
    this.client.setAccessToken(token.accessToken);
    this.pinApis();
    this.context.log?.('hubspot: access token refreshed', { expiresAt: this.credentials.expiresAt });
    try {
      await this.context.onCredentialsRefreshed?.({ ...this.credentials });
    } catch (error) {
      // We keep working with the new token; HubSpot refresh tokens stay valid, so a later run can refresh again.
      this.context.log?.('hubspot: storing refreshed credentials failed', { message: (error as Error).message });
    }
  }

  /**
   * The SDK applies "decorators" (its limiter and retries) from one process-wide list when an API
   * object is first built. Building ours right after our Client set that list to empty keeps
   * another Client in the process (with retries on) from decorating our calls.
   */
  private pinApis(): void {
    const { crm, oauth } = this.client;
    void [crm.companies.basicApi, crm.contacts.basicApi, crm.associations.v4.batchApi, crm.owners.ownersApi, crm.properties.coreApi, oauth.tokensApi];
    void [crm.companies.batchApi, crm.companies.searchApi, crm.contacts.batchApi, crm.contacts.searchApi, crm.objects.tasks.batchApi, crm.objects.tasks.searchApi];
    void [crm.properties.groupsApi, crm.properties.batchApi];
  }

  private noteUsage(headers: Record<string, string> | undefined): void {
    if (!headers) return;
    const limit = Number(headers[hubspotDescriptor.dailyLimitHeader]);
    const remaining = Number(headers[hubspotDescriptor.dailyRemainingHeader]);
    if (headers[hubspotDescriptor.dailyLimitHeader] !== undefined && Number.isFinite(limit) && Number.isFinite(remaining)) {
      this.usage = { used: Math.max(0, limit - remaining), limit };
    }
  }
}
