import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { TLSSocket } from 'node:tls';
import { readBody, sendJson, VendorSandbox } from '../../core/src';
import { salesforceDescriptor } from '../descriptor';
import { KEY_PREFIX, salesforceId } from './salesforce-ids';
import { OrgGenerator } from './sandbox-data';
import { ChangeResult, OrgChanges, SandboxChanges } from './sandbox-mutations';
import { grantToken, SandboxApp } from './sandbox-oauth';
import { QueryCursors } from './sandbox-queries';
import { buildSchema, describeObject } from './sandbox-schema';
import { Random, SandboxCounts, SandboxStore } from './sandbox-store';
import { SoqlError, soqlErrorMessage } from './soql-parser';
import { CollectionWrites } from './sandbox-writes';

/** A fault to inject into the next data API calls. */
export type SandboxFault = 503 | 'REQUEST_LIMIT_EXCEEDED';

export interface SalesforceSandboxOptions {
  accounts?: number;
  contactsPerAccount?: number;
  owners?: number;
  /** Same seed, same org, same mutation picks. */
  seed?: number;
  /** Added before every answer. */
  latencyMs?: number;
  /** API calls per 24 h (a full sandbox org has 5,000,000). */
  dailyLimit?: number;
  /** Calls already used today by the org's other integrations. */
  initialApiUsage?: number;
  /** Records per query page (Salesforce: 2,000). */
  pageSize?: number;
  clientId?: string;
  clientSecret?: string;
  /** PEM public key or certificate for JWT bearer; without it JWT sign-in is refused. */
  jwtPublicKey?: string;
  /** The integration user JWT assertions must name. */
  username?: string;
  /** Where the sandbox is reachable (instance_url); else derived from Host and the mount path. */
  baseUrl?: string;
  /** Adds CurrencyIsoCode, as in multi-currency orgs. */
  multiCurrency?: boolean;
  /** "Object.Field" names the org does not have (describe omits them, SOQL refuses them). */
  omitFields?: string[];
  /** The org's "now" for renewal dates and tenure (default: the real now). */
  now?: Date | number;
}

/** What POST /_sandbox/mutate accepts: data changes plus session and fault controls. */
export interface SandboxMutation extends SandboxChanges {
  /** Task ids to complete, as their owner would (Status Completed, IsClosed, CompletedDateTime). */
  completeTasks?: string[];
  expireTokens?: boolean;
  failNext?: { count: number; kind: SandboxFault };
}

const DAY = 86_400_000;
const DATA_PATH = /^\/services\/data\/v(\d+\.\d+)(\/.*)?$/;
const LOCATOR_PATH = /^\/query(?:All)?\/([A-Za-z0-9]{15,18})-(\d+)\/?$/;

const errorBody = (errorCode: string, message: string) => [{ message, errorCode, fields: [] as string[] }];

/**
 * An imitation of one Salesforce org's REST API: OAuth token endpoint (JWT bearer, client
 * credentials), query/queryAll with 2,000-row pages and query locators, describe, the
 * Sforce-Limit-Info header, the daily limit (403 REQUEST_LIMIT_EXCEEDED) and expired sessions
 * (401 INVALID_SESSION_ID), with Salesforce's JSON error arrays. Mountable under any path.
 */
export class SalesforceSandbox implements VendorSandbox {
  readonly name = 'salesforce';
  readonly store: SandboxStore;
  private readonly cursors: QueryCursors;
  private readonly changes: OrgChanges;
  private readonly writes: CollectionWrites;
  private readonly app: SandboxApp;
  private readonly tokens = new Set<string>();
  private readonly faults: SandboxFault[] = [];
  private received = 0;
  private used: number;
  private windowStart = Date.now();

  constructor(private readonly options: SalesforceSandboxOptions = {}) {
    const random = new Random(options.seed ?? 1);
    this.store = new SandboxStore(buildSchema({ multiCurrency: options.multiCurrency ?? false, omitFields: options.omitFields ?? [] }));
    new OrgGenerator(this.store, random, {
      accounts: options.accounts ?? 100,
      contactsPerAccount: options.contactsPerAccount ?? 3,
      owners: options.owners ?? 25,
      multiCurrency: options.multiCurrency ?? false,
      now: options.now === undefined ? Date.now() : new Date(options.now).getTime(),
    }).build();
    this.cursors = new QueryCursors(this.store, options.pageSize ?? salesforceDescriptor.soqlPageSize);
    this.changes = new OrgChanges(this.store, random);
    this.writes = new CollectionWrites(this.store);
    this.used = options.initialApiUsage ?? 0;
    this.app = {
      clientId: options.clientId ?? 'nps-bridge-sandbox-client',
      clientSecret: options.clientSecret ?? 'nps-bridge-sandbox-secret',
      jwtPublicKey: options.jwtPublicKey,
      username: options.username ?? 'integration@nps-bridge-sandbox.example.com',
      orgId: salesforceId(KEY_PREFIX.Organization, 1),
      userId: salesforceId(KEY_PREFIX.User, 900_000),
    };
  }

  get dailyLimit(): number {
    return this.options.dailyLimit ?? salesforceDescriptor.fullSandboxDailyLimit;
  }

  calls(): number {
    return this.received;
  }

  resetCalls(): void {
    this.received = 0;
  }

  counts(): SandboxCounts {
    return this.store.counts();
  }

  apiUsage(): { used: number; limit: number } {
    return { used: this.used, limit: this.dailyLimit };
  }

  /** Every issued token stops working: the next data call gets 401 INVALID_SESSION_ID. */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** The next `count` data API calls fail with `kind` (after the session check). */
  failNext(count: number, kind: SandboxFault): void {
    for (let i = 0; i < count; i++) this.faults.push(kind);
  }

  /** Data changes in one step (one new SystemModstamp), returning the ids touched. */
  change(changes: SandboxChanges): ChangeResult {
    return this.changes.apply(changes);
  }

  mutate(mutation: SandboxMutation): ChangeResult {
    const result = this.change(mutation);
    for (const id of mutation.completeTasks ?? []) this.completeTask(id);
    if (mutation.expireTokens) this.expireTokens();
    if (mutation.failNext) this.failNext(mutation.failNext.count, mutation.failNext.kind);
    return result;
  }

  /** The task is done: Status Completed, IsClosed, CompletedDateTime and SystemModstamp now. */
  completeTask(id: string): void {
    this.writes.completeTask(id);
  }

  /** Live Task rows, as stored (datetimes as epoch ms). */
  tasks() {
    return this.writes.tasks();
  }

  changeAccounts = (n: number) => this.change({ changeAccounts: n }).changedAccounts;
  changeContacts = (n: number) => this.change({ changeContacts: n }).changedContacts;
  changeRoles = (n: number) => this.change({ changeRoles: n }).changedRoles;
  deactivateRelations = (n: number) => this.change({ deactivateRelations: n }).deactivatedRelations;
  deleteAccounts = (n: number) => this.change({ deleteAccounts: n }).deletedAccounts;
  deleteContacts = (n: number) => this.change({ deleteContacts: n }).deletedContacts;
  deleteRelations = (n: number) => this.change({ deleteRelations: n }).deletedRelations;

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody('UNKNOWN_EXCEPTION', (error as Error).message ?? String(error)));
    });
  }

  /** Where this sandbox is served, mount prefix included (Express sets req.baseUrl / originalUrl). */
  baseUrlOf(req: IncomingMessage): string {
    if (this.options.baseUrl) return this.options.baseUrl.replace(/\/+$/, '');
    const mounted = req as IncomingMessage & { baseUrl?: string; originalUrl?: string };
    const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(',')[0].trim();
    const proto = first(req.headers['x-forwarded-proto']) ?? (req.socket instanceof TLSSocket ? 'https' : 'http');
    const host = first(req.headers['x-forwarded-host']) ?? req.headers.host ?? 'localhost';
    let prefix = mounted.baseUrl ?? '';
    const url = req.url ?? '';
    if (!prefix && mounted.originalUrl && mounted.originalUrl !== url && mounted.originalUrl.endsWith(url)) {
      prefix = mounted.originalUrl.slice(0, mounted.originalUrl.length - url.length);
    }
    return `${proto}://${host}${prefix.replace(/\/+$/, '')}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith('/_sandbox/')) return this.control(req, res, url.pathname);
    this.received++;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    if (url.pathname === salesforceDescriptor.tokenPath) {
      if (req.method !== 'POST') return sendJson(res, 405, errorBody('METHOD_NOT_ALLOWED', 'HTTP Method not allowed'));
      const outcome = grantToken(new URLSearchParams(await readBody(req)), this.app, this.baseUrlOf(req), () => this.issueToken());
      return sendJson(res, outcome.status, outcome.body);
    }
    const data = DATA_PATH.exec(url.pathname);
    if (!data) return sendJson(res, 404, errorBody('NOT_FOUND', 'The requested resource does not exist'));
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return sendJson(res, 401, errorBody('INVALID_SESSION_ID', 'Session expired or invalid'));
    const fault = this.faults.shift();
    if (fault === 503) return sendJson(res, 503, errorBody('SERVER_UNAVAILABLE', 'Server temporarily unavailable'), this.limitHeader());
    if (fault !== undefined || this.overLimit()) {
      return sendJson(res, 403, errorBody(salesforceDescriptor.limitErrorCode, 'TotalRequests Limit exceeded.'), this.limitHeader());
    }
    this.used++;
    const method = req.method ?? 'GET';
    const path = data[2] ?? '/';
    const [status, body] = /^\/composite\/sobjects\/?$/.test(path)
      ? this.writes.handle(method, await readBody(req))
      : this.dataResource(method, data[1], path, url.searchParams);
    sendJson(res, status, body, this.limitHeader());
  }

  private dataResource(method: string, version: string, path: string, params: URLSearchParams): [number, unknown] {
    if (method !== 'GET') return [405, errorBody('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET`)];
    const queryAll = /^\/queryAll\/?$/.test(path);
    if (queryAll || /^\/query\/?$/.test(path)) {
      const soql = params.get('q');
      if (!soql) return [400, errorBody('MALFORMED_QUERY', 'A query string has to be specified')];
      try {
        return [200, this.cursors.run(soql, queryAll, version)];
      } catch (error) {
        if (error instanceof SoqlError) return [400, errorBody(error.errorCode, soqlErrorMessage(soql, error))];
        throw error;
      }
    }
    const locator = LOCATOR_PATH.exec(path);
    if (locator) {
      const page = this.cursors.more(locator[1], Number(locator[2]), version);
      return page ? [200, page] : [400, errorBody('INVALID_QUERY_LOCATOR', 'invalid query locator')];
    }
    const describe = /^\/sobjects\/([A-Za-z0-9_]+)\/describe\/?$/.exec(path);
    if (describe) {
      const schema = this.store.objectSchema(describe[1]);
      return schema ? [200, describeObject(schema)] : [404, errorBody('NOT_FOUND', 'The requested resource does not exist')];
    }
    if (path === '/limits' || path === '/limits/') {
      return [200, { DailyApiRequests: { Max: this.dailyLimit, Remaining: Math.max(0, this.dailyLimit - this.used) } }];
    }
    return [404, errorBody('NOT_FOUND', 'The requested resource does not exist')];
  }

  /** The daily allocation, counted over a fixed 24 h window (Salesforce's is rolling). */
  private overLimit(): boolean {
    if (Date.now() - this.windowStart >= DAY) {
      this.windowStart = Date.now();
      this.used = 0;
    }
    return this.used >= this.dailyLimit;
  }

  private limitHeader(): Record<string, string> {
    return { 'Sforce-Limit-Info': `api-usage=${this.used}/${this.dailyLimit}` };
  }

  private issueToken(): string {
    const token = `${this.app.orgId.slice(0, 15)}!AQ${randomBytes(24).toString('base64url')}`;
    this.tokens.add(token);
    return token;
  }

  /** Test and benchmark controls; not Salesforce, not counted as calls. */
  private async control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      if (path === '/_sandbox/mutate' && req.method === 'POST') {
        const body = await readBody(req);
        const result = this.mutate(body ? (JSON.parse(body) as SandboxMutation) : {});
        return sendJson(res, 200, { ...result, counts: this.counts() });
      }
      if (path === '/_sandbox/counts' && req.method === 'GET') {
        return sendJson(res, 200, { counts: this.counts(), calls: this.calls(), apiUsage: this.apiUsage() });
      }
      if (path === '/_sandbox/reset-calls' && req.method === 'POST') {
        this.resetCalls();
        return sendJson(res, 200, { calls: 0 });
      }
      sendJson(res, 404, { error: `no sandbox control ${req.method} ${path}` });
    } catch (error) {
      sendJson(res, 400, { error: (error as Error).message });
    }
  }
}

export function createSalesforceSandbox(options: SalesforceSandboxOptions = {}): SalesforceSandbox {
  return new SalesforceSandbox(options);
}
