import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AUTHORIZE_PATH, FULL_SANDBOX_DAILY_REQUESTS, REQUEST_LIMIT_EXCEEDED, SOQL_MAX_PAGE_SIZE, TOKEN_PATH } from './salesforce-facts';
import { KEY_PREFIX, salesforceId } from './salesforce-ids';
import { handleControl } from './sandbox-control';
import { OrgGenerator } from './sandbox-data';
import { AccountFieldHistory } from './sandbox-history';
import { describeWrite, SalesforceSandboxOptions, SandboxAction, SandboxControlState, SandboxFault, SandboxMutation, SandboxWriteCall } from './sandbox-contract';
import { ChangeResult, OrgChanges, SandboxChanges } from './sandbox-mutations';
import { SEEDED_NPS_FIELD_NAMES, seededNpsFields } from './sandbox-nps-fields';
import { addressedLoginHost, grantToken, SandboxApp, servedBaseUrl } from './sandbox-oauth';
import { OrgSetup } from './sandbox-permissions';
import { QueryCursors } from './sandbox-queries';
import { errorBody, RestResources } from './sandbox-rest';
import { buildSchema } from './sandbox-schema';
import { Random, Row, SandboxCounts, SandboxStore } from './sandbox-store';
import { ToolingFields } from './sandbox-tooling';
import { WebServerFlow } from './sandbox-web-server-flow';
import { CollectionWrites } from './sandbox-writes';
import { readBody, sendJson, VendorSandbox } from '../kit/sandbox';

export type { SalesforceSandboxOptions, SandboxAction, SandboxControlState, SandboxFault, SandboxMutation, SandboxWriteCall } from './sandbox-contract';

const DAY = 86_400_000;
const DATA_PATH = /^\/services\/data\/v(\d+\.\d+)(\/.*)?$/;
const unavailable = () => errorBody('SERVER_UNAVAILABLE', 'Server temporarily unavailable');

/**
 * An imitation of one Salesforce org's REST API: OAuth (the web server flow's consent page and
 * code exchange with PKCE, refresh tokens, JWT bearer, client credentials), query/queryAll with 2,000-row pages and query locators, describe, sObject
 * Collections and single-record creates, Tooling CustomField creates with field-level security,
 * the Sforce-Limit-Info header, the daily limit (403 REQUEST_LIMIT_EXCEEDED) and expired
 * sessions (401 INVALID_SESSION_ID), with Salesforce's JSON error arrays. Mountable under any path.
 * The sandbox's own URL plays the org's My Domain host; `<sandbox>/login.salesforce.com` (or
 * `/test.salesforce.com`, or a Host header naming either) plays the shared login host, where the
 * client credentials flow is refused (unsupported_grant_type) as Salesforce does.
 */
export class SalesforceSandbox implements VendorSandbox {
  readonly name = 'salesforce';
  readonly store: SandboxStore;
  private readonly changes: OrgChanges;
  private readonly collections: CollectionWrites;
  private readonly setup: OrgSetup;
  private readonly rest: RestResources;
  private readonly app: SandboxApp;
  /** The web server flow: consent page, codes, refresh tokens. */
  readonly webServer: WebServerFlow;
  private readonly tokens = new Set<string>();
  private readonly faults: SandboxFault[] = [];
  private readonly writeLog: SandboxWriteCall[] = [];
  private received = 0;
  private used: number;
  private windowStart = Date.now();
  private outage = false;
  private failAfterWrites = 0;

  constructor(private readonly options: SalesforceSandboxOptions = {}) {
    const random = new Random(options.seed ?? 1);
    const tracked = options.arrHistoryTracked === false ? [] : ['ARR__c'];
    const multiCurrency = options.multiCurrency ?? false;
    this.store = new SandboxStore(buildSchema({ multiCurrency, omitFields: options.omitFields ?? [], trackedAccountFields: tracked }));
    const now = options.now === undefined ? Date.now() : new Date(options.now).getTime();
    new OrgGenerator(this.store, random, {
      accounts: options.accounts ?? 100,
      contactsPerAccount: options.contactsPerAccount ?? 3,
      owners: options.owners ?? 25,
      multiCurrency,
      now,
    }).build();
    const history = new AccountFieldHistory(this.store, tracked);
    history.generate(new Random((options.seed ?? 1) ^ 0x5eed), now);
    if (options.npsFields) for (const { object, field } of seededNpsFields()) this.store.objectSchema(object)!.fields.push(field);
    this.app = {
      clientId: options.clientId ?? 'nps-bridge-sandbox-client',
      clientSecret: options.clientSecret ?? 'nps-bridge-sandbox-secret',
      jwtPublicKey: options.jwtPublicKey,
      username: options.username ?? 'integration@nps-bridge-sandbox.example.com',
      orgId: salesforceId(KEY_PREFIX.Organization, 1),
      userId: salesforceId(KEY_PREFIX.User, 900_000),
    };
    this.webServer = new WebServerFlow(this.app, { callbackUrls: options.callbackUrls, rotateRefreshTokens: options.rotateRefreshTokens });
    const allowed = options.metadataAccess ?? true;
    this.setup = new OrgSetup(this.store, this.app.userId, { fields: allowed, permissions: allowed });
    this.changes = new OrgChanges(this.store, random, history);
    this.collections = new CollectionWrites(this.store, this.setup, history);
    this.rest = new RestResources(
      this.store,
      new QueryCursors(this.store, options.pageSize ?? SOQL_MAX_PAGE_SIZE),
      this.collections,
      new ToolingFields(this.store, this.setup),
      () => ({ max: this.dailyLimit, remaining: Math.max(0, this.dailyLimit - this.used) }),
    );
    this.used = options.initialApiUsage ?? 0;
  }

  get dailyLimit(): number {
    return this.options.dailyLimit ?? FULL_SANDBOX_DAILY_REQUESTS;
  }

  /** The integration user the tokens are issued for (the id in the token response's identity URL). */
  get integrationUserId(): string {
    return this.app.userId;
  }

  calls(): number {
    return this.received;
  }

  /** Calls received and the write log back to empty. */
  resetCalls(): void {
    this.received = 0;
    this.writeLog.length = 0;
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

  /** While on, every request (token endpoint included) answers 503, as in a Salesforce outage. */
  setOutage(on: boolean): void {
    this.outage = on;
  }

  /** The next `count` collections POSTs create their records and then answer 503: a create whose outcome the client cannot know. */
  failAfterWrite(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new Error(`failAfterWrite: count must be a whole number ≥ 0 (got ${count})`);
    this.failAfterWrites = count;
  }

  /** allowed false: the integration user may not create custom fields (scope 'all') nor change permission sets. */
  setMetadataAccess(allowed: boolean, scope: 'all' | 'permissions' = 'all'): void {
    this.setup.setAccess({ fields: scope === 'permissions' ? this.setup.metadataAccess.fields : allowed, permissions: allowed });
  }

  controlState(): SandboxControlState {
    return { outage: this.outage, failAfterWrite: this.failAfterWrites, metadataAccess: this.setup.metadataAccess };
  }

  /** Data changes in one step (one new SystemModstamp), returning the ids touched. */
  change(changes: SandboxChanges): ChangeResult {
    return this.changes.apply(changes);
  }

  mutate(action: SandboxAction): SandboxControlState;
  mutate(mutation: SandboxMutation): ChangeResult;
  mutate(input: SandboxMutation | SandboxAction): ChangeResult | SandboxControlState {
    if ('action' in input) return this.act(input);
    const result = this.change(input);
    for (const id of input.completeTasks ?? []) this.completeTask(id);
    if (input.expireTokens) this.expireTokens();
    if (input.revokeRefreshTokens) this.webServer.revokeRefreshTokens();
    if (input.failNext) this.failNext(input.failNext.count, input.failNext.kind);
    return result;
  }

  /** The task is done: Status Completed, IsClosed, CompletedDateTime and SystemModstamp now. */
  completeTask(id: string): void {
    this.collections.completeTask(id);
  }

  /** Live Task rows, as stored (datetimes as epoch ms). */
  tasks(): Row[] {
    return this.collections.tasks();
  }

  /** One row's current field values, as stored (datetimes as epoch ms); undefined when the id is not of that object. */
  record(object: string, id: string): Row | undefined {
    const schema = this.store.objectSchema(object);
    const row = this.store.get(id);
    const prefix = schema && (KEY_PREFIX as Record<string, string>)[schema.name];
    return row && prefix && id.startsWith(prefix) ? { ...row } : undefined;
  }

  /** Live Tasks, and Accounts / Contacts holding a value in a field of SEEDED_NPS_FIELD_NAMES: what a write-back left. */
  writebackCounts(): { tasks: number; accounts: number; contacts: number } {
    const names = new Set<string>(Object.values(SEEDED_NPS_FIELD_NAMES));
    const holding = (object: string) =>
      this.store.rows(object).filter((row) => !row.IsDeleted && Object.entries(row).some(([k, v]) => names.has(k) && v !== null && v !== undefined)).length;
    return { tasks: this.tasks().length, accounts: holding('Account'), contacts: holding('Contact') };
  }

  /** Every write request received since the last resetCalls, oldest first. */
  writes(): SandboxWriteCall[] {
    return this.writeLog.map((w) => ({ ...w }));
  }

  /** The object's custom fields with their type and the integration user's access. */
  customFields(object: string): { name: string; type: string; label: string; access: 'none' | 'read' | 'edit' }[] {
    const schema = this.store.objectSchema(object);
    if (!schema) throw new Error(`no object ${object}`);
    return schema.fields.filter((f) => f.custom).map((f) => ({ name: f.name, type: f.type, label: f.label, access: f.access ?? 'edit' }));
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

  /** Where this sandbox is served, mount prefix included (see servedBaseUrl). */
  baseUrlOf(req: IncomingMessage): string {
    return servedBaseUrl(req, this.options.baseUrl);
  }

  private act(action: SandboxAction): SandboxControlState {
    switch (action.action) {
      case 'setMetadataAccess':
        this.setMetadataAccess(action.allowed === true, action.scope ?? 'all');
        break;
      case 'outage':
        this.setOutage(action.on === true);
        break;
      case 'failAfterWrite':
        this.failAfterWrite(action.count);
        break;
      default:
        throw new Error(`unknown sandbox action ${JSON.stringify((action as { action: unknown }).action)}`);
    }
    return this.controlState();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith('/_sandbox/')) return handleControl(this, req, res, url.pathname);
    // The consent page is a person's, not an API call: not counted.
    if (addressedLoginHost(url.pathname, undefined).path === AUTHORIZE_PATH) return this.authorizePage(req, res, url);
    this.received++;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const method = req.method ?? 'GET';
    const text = method === 'POST' || method === 'PATCH' ? await readBody(req) : '';
    const data = DATA_PATH.exec(url.pathname);
    const path = data?.[2] ?? '/';
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (data && RestResources.isWrite(method, path)) this.writeLog.push(describeWrite(method, path, text, status));
      sendJson(res, status, body, headers);
    };
    if (this.outage) return reply(503, unavailable());
    const login = addressedLoginHost(url.pathname, [req.headers['x-forwarded-host']].flat()[0] ?? req.headers.host);
    if (login.path === TOKEN_PATH) {
      if (method !== 'POST') return reply(405, errorBody('METHOD_NOT_ALLOWED', 'HTTP Method not allowed'));
      const form = new URLSearchParams(text);
      const grant = form.get('grant_type');
      const issue = () => this.issueToken();
      const { status, body } =
        grant === 'authorization_code'
          ? this.webServer.exchange(form, this.baseUrlOf(req), issue, Date.now())
          : grant === 'refresh_token'
            ? this.webServer.refresh(form, this.baseUrlOf(req), issue, Date.now())
            : grantToken(form, this.app, this.baseUrlOf(req), issue, Date.now(), login.host);
      return reply(status, body);
    }
    if (!data) return reply(404, errorBody('NOT_FOUND', 'The requested resource does not exist'));
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return reply(401, errorBody('INVALID_SESSION_ID', 'Session expired or invalid'));
    const fault = this.faults.shift();
    if (fault === 503) return reply(503, unavailable(), this.limitHeader());
    if (fault !== undefined || this.overLimit()) {
      return reply(403, errorBody(REQUEST_LIMIT_EXCEEDED, 'TotalRequests Limit exceeded.'), this.limitHeader());
    }
    this.used++;
    const [status, body] = this.rest.handle(method, data[1], path, url.searchParams, text);
    // The records exist; the answer is lost (failAfterWrite).
    if (status === 200 && RestResources.isCollectionsCreate(method, path) && this.failAfterWrites > 0) {
      this.failAfterWrites--;
      return reply(503, unavailable(), this.limitHeader());
    }
    reply(status, body, this.limitHeader());
  }

  /** GET shows the consent page, POST takes its answer (the web server flow). */
  private async authorizePage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'GET') return this.webServer.authorize(url.searchParams, res);
    if (req.method === 'POST') return this.webServer.decide(new URLSearchParams(await readBody(req)), res);
    sendJson(res, 405, errorBody('METHOD_NOT_ALLOWED', 'HTTP Method not allowed'));
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
}

export function createSalesforceSandbox(options: SalesforceSandboxOptions = {}): SalesforceSandbox {
  return new SalesforceSandbox(options);
}
