import { Client } from '@hubspot/api-client';
import { ApiUsage, ConnectorContext, OAuthSession, VendorError, VendorHttp } from '@connectors/core/src';
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
  private readonly credentials: HubSpotCredentials;
  /** OAuth connections: the tokens and their renewal (one for every caller and process). */
  private readonly session: OAuthSession<HubSpotCredentials> | undefined;
  /** The access token the SDK client sends now. */
  private clientToken: string | undefined;

  constructor(
    private readonly context: ConnectorContext<HubSpotCredentials, HubSpotSettings>,
    settings: HubSpotSettings,
  ) {
    this.credentials = { ...context.credentials };
    this.session =
      this.credentials.authType === 'oauth'
        ? new OAuthSession<HubSpotCredentials>(this.credentials, {
            refresh: (stored) => this.refreshTokens(stored),
            renewCredentials: context.renewCredentials,
            onCredentialsRefreshed: context.onCredentialsRefreshed,
            marginMs: hubspotDescriptor.tokenRefreshMarginMs,
            log: (message, fields) => context.log?.(`hubspot: ${message}`, fields),
          })
        : undefined;
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
    this.clientToken = this.credentials.accessToken;
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

  private async attempt<T>(lane: Lane, send: (client: Client) => Promise<WithHeaders<T>>, create: boolean): Promise<T> {
    const session = this.session;
    if (session?.due()) this.useToken((await session.renew()).accessToken);
    const sentWith = this.clientToken;
    try {
      return await this.send(lane, send, create);
    } catch (error) {
      // An OAuth token can be refused before its expiry (revoked, clocks apart): renewed once, for every caller that saw it refused.
      if (!session || !(error instanceof VendorError) || error.details.status !== 401) throw error;
      this.useToken((await session.renew(sentWith)).accessToken);
      return this.send(lane, send, create);
    }
  }

  private async send<T>(lane: Lane, send: (client: Client) => Promise<WithHeaders<T>>, create: boolean): Promise<T> {
    const response = await this.http.once(() => send(this.client), { lane, create });
    this.http.noteHeaders(response.headers);
    return response.data;
  }

  private useToken(accessToken: string | undefined): void {
    if (!accessToken || accessToken === this.clientToken) return;
    this.client.setAccessToken(accessToken);
    this.clientToken = accessToken;
    this.pinApis();
  }

  /** POST /oauth/v1/token, grant refresh_token (README "Auth"): a new access token for the stored refresh token. */
  private async refreshTokens(stored: HubSpotCredentials): Promise<HubSpotCredentials> {
    const { clientId, clientSecret, refreshToken } = stored;
    if (!clientId || !clientSecret || !refreshToken) {
      throw new VendorError('hubspot', 'auth', 'HubSpot OAuth credentials need clientId, clientSecret and refreshToken');
    }
    const { data: token } = await this.http.once(
      () => this.client.oauth.tokensApi.createWithHttpInfo('refresh_token', undefined, undefined, clientId, clientSecret, refreshToken),
      { signingIn: true },
    );
    return {
      ...stored,
      accessToken: token.accessToken,
      refreshToken: token.refreshToken || refreshToken,
      expiresAt: new Date(Date.now() + token.expiresIn * 1000).toISOString(),
    };
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
