import { Connection } from 'jsforce/lib/connection';
import type { TokenResponse } from 'jsforce/lib/oauth2';
import { ApiUsage, ConnectorContext, OAuthSession, UncertainWrite, VendorError, VendorHttp } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { tokenRequest, TokenRequestParams } from './salesforce-auth';
import { SalesforceCredentials } from './salesforce-credentials';
import { restFailure, tokenFailure } from './salesforce-errors';
import { SalesforceSettings } from './salesforce-settings';
import { MeteredTransport, NO_TRANSPORT_RETRY } from './metered-transport';

/** What a SOQL endpoint answers (query, queryAll and their nextRecordsUrl). */
export interface QueryResponse<R> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: R[];
}

export interface WriteOptions {
  /**
   * false for creates: a failure after the request reached Salesforce (5xx, a dropped
   * connection, a timeout) may follow a commit, so it is thrown as UncertainWrite and not sent
   * again. Refusals answered before anything was written (REQUEST_LIMIT_EXCEEDED, 401 and a new
   * session, a connection never made) are still retried. Default true (updates can repeat).
   */
  replayable?: boolean;
}

/** The user id at the end of an identity URL (https://login.salesforce.com/id/<org id>/<user id>). */
function userIdOf(identityUrl: string | undefined): string | undefined {
  return identityUrl?.replace(/\/+$/, '').split('/').pop() || undefined;
}

/**
 * One signed-in session with one org, over jsforce, through core's door (VendorHttp): every
 * request is counted (the token requests too, at the transport), bounded, read into a
 * VendorError and retried there, and checked against the org's reported API usage first.
 * jsforce's refreshFn redoes our JWT / client-credentials sign-in when a call gets 401
 * INVALID_SESSION_ID, once, and jsforce then replays the call. OAuth connections start with the
 * stored access token and renew it with the refresh token (README "OAuth web server flow")
 * through core's OAuthSession: one renewal for every caller and process, stored encrypted.
 */
export class SalesforceClient {
  readonly http: VendorHttp;
  private readonly conn: Connection;
  private readonly loginUrl: string;
  private signingIn: Promise<void> | null = null;
  private tokenStatus: number | undefined;
  /** New tokens issued since the last call Salesforce accepted: a second one means give up. */
  private refreshesSinceSuccess = 0;
  /** Why the last refresh failed: jsforce rethrows it as a plain "Unable to refresh session" Error. */
  private refreshFailure: unknown;
  /** OAuth connections: the tokens and their renewal. */
  private readonly session: OAuthSession<SalesforceCredentials> | undefined;

  constructor(
    private readonly credentials: SalesforceCredentials,
    private readonly settings: SalesforceSettings,
    private readonly context: Pick<ConnectorContext<SalesforceCredentials>, 'sleep' | 'log' | 'requestTimeoutMs' | 'onCredentialsRefreshed' | 'renewCredentials'>,
  ) {
    this.http = new VendorHttp({
      facts: salesforceDescriptor,
      readFailure: (error) => restFailure(error),
      sleep: context.sleep,
      log: context.log,
      requestTimeoutMs: context.requestTimeoutMs,
      countsAtTransport: true,
    });
    this.loginUrl = (credentials.loginUrl || salesforceDescriptor.loginUrl).replace(/\/+$/, '');
    const oauth = credentials.authType === 'oauth';
    this.session = oauth
      ? new OAuthSession<SalesforceCredentials>(credentials, {
          refresh: (stored) => this.refreshTokens(stored),
          renewCredentials: context.renewCredentials,
          onCredentialsRefreshed: context.onCredentialsRefreshed,
          // Salesforce's token answer names no lifetime (the org's session timeout decides): renewed when refused.
          marginMs: 0,
          log: context.log,
        })
      : undefined;
    this.conn = new Connection({
      version: settings.apiVersion,
      loginUrl: this.loginUrl,
      instanceUrl: credentials.instanceUrl,
      accessToken: oauth ? credentials.accessToken : undefined,
      oauth2: {
        clientId: credentials.clientId,
        clientSecret: credentials.authType === 'client_credentials' || oauth ? credentials.clientSecret : undefined,
        loginUrl: this.loginUrl,
      },
      refreshFn: (_conn, callback) => {
        this.refreshSession().then(
          (token) => callback(null, token),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });
    this.conn.oauth2._transport = new MeteredTransport(this.http, (response) => (this.tokenStatus = response.statusCode));
  }

  get calls(): number {
    return this.http.apiCalls();
  }

  apiUsage(): ApiUsage | undefined {
    return this.http.apiUsage();
  }

  /** Signs in unless a session exists (concurrent callers share one token request). */
  async signIn(signal?: AbortSignal): Promise<void> {
    if (this.conn.accessToken) return;
    this.signingIn ??= this.http.retrying(() => this.requestToken(), signal).finally(() => (this.signingIn = null));
    await this.signingIn;
  }

  /** GET a REST resource: a path under the version root ("/query?q=…") or from /services/. */
  async get<T>(url: string, signal?: AbortSignal): Promise<T> {
    await this.signIn(signal);
    this.checkBudget();
    const body = await this.http.retrying(() => this.send<T>('GET', url), signal);
    this.refreshesSinceSuccess = 0;
    return body;
  }

  /**
   * POST or PATCH a JSON body (sObject Collections, sObject rows, Tooling). Replayable writes
   * are retried like reads on 5xx and REQUEST_LIMIT_EXCEEDED; see WriteOptions for creates.
   */
  async write<T>(method: 'POST' | 'PATCH', url: string, payload: unknown, signal?: AbortSignal, options: WriteOptions = {}): Promise<T> {
    await this.signIn(signal);
    this.checkBudget();
    const create = options.replayable === false;
    const body = await this.http.retrying(() => this.send<T>(method, url, JSON.stringify(payload), create), signal);
    this.refreshesSinceSuccess = 0;
    return body;
  }

  /** The signed-in user's id, from the identity URL of the token response (JWT and client credentials alike). */
  userId(): string | undefined {
    return this.conn.userInfo?.id || userIdOf(this.session?.credentials.identityUrl);
  }

  /** One request through the door; jsforce does not pass on a body that stops mid-way (its pipe drops the error), the door's deadline ends it. */
  private async send<T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: string, create = false): Promise<T> {
    let status: number | undefined;
    const transport = new MeteredTransport(this.http, (response) => (status = response.statusCode));
    const request = body === undefined ? { method, url } : { method, url, body, headers: { 'content-type': 'application/json' } };
    try {
      return await this.http.once(() => this.conn.request<T>(request, { ...NO_TRANSPORT_RETRY, transport }), { create, readFailure: (error) => restFailure(error, status) });
    } catch (error) {
      // The session was refused (401, nothing applied) and could not be renewed: jsforce says only "Unable to refresh session".
      const cause = error instanceof UncertainWrite ? error.failure : error;
      if (cause instanceof Error && cause.message.startsWith('Unable to refresh session') && this.refreshFailure) throw this.refreshFailure;
      throw error;
    }
  }

  private async requestToken(): Promise<void> {
    if (this.session) {
      // The token in use (refused, or none yet): renewed once, whoever else saw it refused.
      const fresh = await this.session.renew(this.conn.accessToken ?? undefined);
      this.conn._establish({ accessToken: fresh.accessToken, instanceUrl: fresh.instanceUrl });
      return;
    }
    let params: TokenRequestParams;
    try {
      params = tokenRequest(this.credentials, this.loginUrl);
    } catch (error) {
      throw new VendorError('salesforce', 'auth', `could not sign the JWT assertion: ${(error as Error).message}`, { code: 'INVALID_KEY' });
    }
    this.tokenStatus = undefined;
    await this.http.once(() => this.conn.authorize(params), { signingIn: true, readFailure: (error) => tokenFailure(error, this.tokenStatus) });
  }

  /** OAuth: the refresh_token grant for the stored credentials; a rotated refresh token replaces the old one. */
  private async refreshTokens(stored: SalesforceCredentials): Promise<SalesforceCredentials> {
    if (!stored.refreshToken) throw new VendorError('salesforce', 'auth', 'the connection has no refresh token: connect it again', { code: 'NO_REFRESH_TOKEN' });
    const params = tokenRequest(stored, this.loginUrl);
    this.tokenStatus = undefined;
    const token: TokenResponse = await this.http.once(() => this.conn.oauth2.requestToken(params), {
      signingIn: true,
      readFailure: (error) => tokenFailure(error, this.tokenStatus),
    });
    return {
      ...stored,
      accessToken: token.access_token,
      instanceUrl: token.instance_url || stored.instanceUrl,
      refreshToken: token.refresh_token || stored.refreshToken,
      identityUrl: token.id || stored.identityUrl,
    };
  }

  /** jsforce's refreshFn: a new token once per rejected session; refused twice is an auth failure. */
  private async refreshSession(): Promise<string> {
    this.refreshFailure = undefined;
    try {
      if (this.refreshesSinceSuccess > 0) {
        throw new VendorError('salesforce', 'auth', 'Salesforce rejected a session it had just issued (INVALID_SESSION_ID)', {
          status: 401,
          code: salesforceDescriptor.sessionErrorCode,
        });
      }
      await this.requestToken();
      this.refreshesSinceSuccess++;
      this.context.log?.('salesforce session renewed');
      return this.conn.accessToken as string;
    } catch (error) {
      this.refreshFailure = error;
      throw error;
    }
  }

  /**
   * Stop before a call once the org's reported usage reaches our share of its daily allocation:
   * the allocation is shared with the customer's other integrations, and a 403 there would stop
   * them too. Not retried here: the job tries again later.
   */
  private checkBudget(): void {
    const usage = this.http.apiUsage();
    if (!usage) return;
    const ceiling = Math.floor(usage.limit * this.settings.dailyBudgetShare);
    if (usage.used >= ceiling) {
      throw new VendorError(
        'salesforce',
        'rate_limited',
        `the org has used ${usage.used} of ${usage.limit} daily API calls; nps-bridge stops at ${ceiling} (dailyBudgetShare ${this.settings.dailyBudgetShare})`,
        { code: 'DAILY_BUDGET_SHARE' },
      );
    }
  }
}
