import { Client } from '@hubspot/api-client';
import { ApiUsage, ConnectorContext, VendorError, VendorHttp } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotCredentials } from './hubspot-credentials';
import { hubspotFailure } from './hubspot-errors';
import { HubSpotSettings } from './hubspot-settings';

/** What every SDK `…WithHttpInfo` method resolves to. */
interface WithHeaders<T> {
  headers: Record<string, string>;
  data: T;
}

/** Search calls pass both limiters: HubSpot counts them in the burst budget too. */
export type Lane = 'general' | 'search';

/**
 * HubSpot's SDK behind core's door (VendorHttp): every call is spaced by the burst and search
 * limits, counted, bounded, read into a VendorError, retried by core's policy, and carries a
 * fresh token. The SDK's own limiter and retries stay off so nothing waits or repeats behind our back.
 */
export class HubSpotApi {
  private readonly client: Client;
  private readonly http: VendorHttp;
  private credentials: HubSpotCredentials;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly context: ConnectorContext<HubSpotCredentials, HubSpotSettings>,
    settings: HubSpotSettings,
  ) {
    this.credentials = { ...context.credentials };
    // Counted per connection in the shared store, so every worker's calls share HubSpot's windows.
    this.http = new VendorHttp({
      facts: hubspotDescriptor,
      readFailure: hubspotFailure,
      sleep: context.sleep,
      log: context.log,
      requestTimeoutMs: context.requestTimeoutMs,
      rateBudget: context.rateBudget,
      limits: {
        general: { name: 'burst', budget: { requests: settings.rateLimit.requestsPer10s, perMs: hubspotDescriptor.burst.perMs } },
        // Search counts in both budgets: both slots are taken together, just before it is sent.
        narrower: {
          search: {
            name: 'search',
            budget: { requests: settings.rateLimit.searchPerSecond, perMs: hubspotDescriptor.search.perMs, arrivalSlackMs: hubspotDescriptor.searchWindowSlackMs },
          },
        },
      },
    });
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
   * only after an answer that refused them before anything was done (a 429); a 5xx, a dropped
   * connection or the deadline may have written, so that is thrown as core's UncertainWrite.
   */
  call<T>(lane: Lane, send: (client: Client) => Promise<WithHeaders<T>>, signal?: AbortSignal, repeatable = true): Promise<T> {
    return this.http.retrying(() => this.attempt(lane, send, !repeatable), signal);
  }

  apiCalls(): number {
    return this.http.apiCalls();
  }

  apiUsage(): ApiUsage | undefined {
    return this.http.apiUsage();
  }

  private get oauth(): boolean {
    return this.credentials.authType === 'oauth';
  }

  private async attempt<T>(lane: Lane, send: (client: Client) => Promise<WithHeaders<T>>, create: boolean): Promise<T> {
    if (this.oauth && this.tokenDue()) await this.refresh();
    try {
      return await this.send(lane, send, create);
    } catch (error) {
      // An OAuth token can be refused before its expiry (revoked, clocks apart): refresh once.
      if (!this.oauth || !(error instanceof VendorError) || error.details.status !== 401) throw error;
      await this.refresh();
      return this.send(lane, send, create);
    }
  }

  private async send<T>(lane: Lane, send: (client: Client) => Promise<WithHeaders<T>>, create: boolean): Promise<T> {
    const response = await this.http.once(() => send(this.client), { lane, create });
    this.http.noteHeaders(response.headers);
    return response.data;
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
    const { data: token } = await this.http.once(
      () => this.client.oauth.tokensApi.createWithHttpInfo('refresh_token', undefined, undefined, clientId, clientSecret, refreshToken),
      { signingIn: true },
    );
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
}
