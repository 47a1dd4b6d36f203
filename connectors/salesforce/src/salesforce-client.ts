import { Connection } from 'jsforce/lib/connection';
import { ApiUsage, CallMeter, ConnectorContext, failureOf, VendorError, withDeadline, withRetry } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { tokenRequest, TokenRequestParams } from './salesforce-auth';
import { SalesforceCredentials } from './salesforce-credentials';
import { mayHaveBeenApplied, restCallError, tokenError, UncertainWrite } from './salesforce-errors';
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

/** withRetry's view of a failure: an uncertain write is never retried. */
const retryableFailure = (error: unknown) => (error instanceof UncertainWrite ? undefined : failureOf(error));

/**
 * One signed-in session with one org, over jsforce. Every request is counted on the CallMeter
 * (the token requests too), retried by core withRetry, and checked against the org's reported
 * API usage first. jsforce's refreshFn redoes our JWT / client-credentials sign-in when a call
 * gets 401 INVALID_SESSION_ID, once, and jsforce then replays the call.
 */
export class SalesforceClient {
  readonly meter = new CallMeter();
  private readonly conn: Connection;
  private readonly loginUrl: string;
  private usage: ApiUsage | undefined;
  private signingIn: Promise<void> | null = null;
  private tokenStatus: number | undefined;
  /** New tokens issued since the last call Salesforce accepted: a second one means give up. */
  private refreshesSinceSuccess = 0;
  /** Why the last refresh failed: jsforce rethrows it as a plain "Unable to refresh session" Error. */
  private refreshFailure: unknown;

  constructor(
    private readonly credentials: SalesforceCredentials,
    private readonly settings: SalesforceSettings,
    private readonly context: Pick<ConnectorContext, 'sleep' | 'log' | 'requestTimeoutMs'>,
  ) {
    this.loginUrl = (credentials.loginUrl || salesforceDescriptor.loginUrl).replace(/\/+$/, '');
    this.conn = new Connection({
      version: settings.apiVersion,
      loginUrl: this.loginUrl,
      instanceUrl: credentials.instanceUrl,
      oauth2: {
        clientId: credentials.clientId,
        clientSecret: credentials.authType === 'client_credentials' ? credentials.clientSecret : undefined,
        loginUrl: this.loginUrl,
      },
      refreshFn: (_conn, callback) => {
        this.refreshSession().then(
          (token) => callback(null, token),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });
    this.conn.oauth2._transport = new MeteredTransport(this.meter, (response) => (this.tokenStatus = response.statusCode));
  }

  get calls(): number {
    return this.meter.calls;
  }

  apiUsage(): ApiUsage | undefined {
    return this.usage ? { ...this.usage } : undefined;
  }

  /** Signs in unless a session exists (concurrent callers share one token request). */
  async signIn(signal?: AbortSignal): Promise<void> {
    if (this.conn.accessToken) return;
    this.signingIn ??= this.retrying(() => this.requestToken(), signal).finally(() => (this.signingIn = null));
    await this.signingIn;
  }

  /** GET a REST resource: a path under the version root ("/query?q=…") or from /services/. */
  async get<T>(url: string, signal?: AbortSignal): Promise<T> {
    await this.signIn(signal);
    this.checkBudget();
    const body = await this.retrying(() => this.send<T>('GET', url), signal);
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
    const replayable = options.replayable ?? true;
    const body = await this.retrying(() => this.send<T>(method, url, JSON.stringify(payload), replayable), signal);
    this.refreshesSinceSuccess = 0;
    return body;
  }

  /** The signed-in user's id, from the identity URL of the token response (JWT and client credentials alike). */
  userId(): string | undefined {
    return this.conn.userInfo?.id || undefined;
  }

  private retrying<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withRetry(call, retryableFailure, {
      facts: salesforceDescriptor.retry,
      sleep: this.context.sleep,
      signal,
      onRetry: (decision) => this.context.log?.('salesforce call retried', { reason: decision.reason, waitMs: decision.waitMs }),
    });
  }

  private async send<T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: string, replayable = true): Promise<T> {
    let status: number | undefined;
    const transport = new MeteredTransport(this.meter, (response) => (status = response.statusCode));
    const request = body === undefined ? { method, url } : { method, url, body, headers: { 'content-type': 'application/json' } };
    const limit = this.context.requestTimeoutMs ?? salesforceDescriptor.requestTimeoutMs;
    try {
      // jsforce does not pass on a body that stops mid-way (its pipe drops the error).
      return await withDeadline(this.conn.request<T>(request, { ...NO_TRANSPORT_RETRY, transport }), limit, 'salesforce', 'Salesforce');
    } catch (error) {
      // The session was refused (401, nothing applied) and could not be renewed.
      if (error instanceof Error && error.message.startsWith('Unable to refresh session') && this.refreshFailure) {
        throw this.refreshFailure;
      }
      const failure = restCallError(error, status);
      throw !replayable && mayHaveBeenApplied(failure) ? new UncertainWrite(failure) : failure;
    } finally {
      const reported = this.conn.limitInfo?.apiUsage;
      if (reported) this.usage = { used: reported.used, limit: reported.limit };
    }
  }

  private async requestToken(): Promise<void> {
    let params: TokenRequestParams;
    try {
      params = tokenRequest(this.credentials, this.loginUrl);
    } catch (error) {
      throw new VendorError('salesforce', 'auth', `could not sign the JWT assertion: ${(error as Error).message}`, { code: 'INVALID_KEY' });
    }
    this.tokenStatus = undefined;
    try {
      await this.conn.authorize(params);
    } catch (error) {
      throw tokenError(error, this.tokenStatus);
    }
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
    if (!this.usage) return;
    const ceiling = Math.floor(this.usage.limit * this.settings.dailyBudgetShare);
    if (this.usage.used >= ceiling) {
      throw new VendorError(
        'salesforce',
        'rate_limited',
        `the org has used ${this.usage.used} of ${this.usage.limit} daily API calls; nps-bridge stops at ${ceiling} (dailyBudgetShare ${this.settings.dailyBudgetShare})`,
        { code: 'DAILY_BUDGET_SHARE' },
      );
    }
  }
}
