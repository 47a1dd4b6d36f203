import { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxAuth, SandboxOAuthClient } from './sandbox-auth';
import { batchReadAssociations, objectType } from './sandbox-associations';
import { SandboxControl } from './sandbox-control';
import { SandboxPortal } from './sandbox-data';
import { badRequest, notFound, rateLimited, SandboxAnswer, unavailable } from './sandbox-errors';
import { generatePortal } from './sandbox-generate';
import { batchRead, generateArrHistory } from './sandbox-history';
import { SandboxLimits } from './sandbox-limits';
import { listOwners } from './sandbox-meta';
import * as mutations from './sandbox-mutations';
import { listObjects, SandboxObjectType, searchObjects } from './sandbox-objects';
import { defineNpsFields, holdingNpsValues } from './sandbox-nps';
import { SandboxProperties } from './sandbox-properties';
import { recordValues } from './sandbox-records';
import { SandboxSchema } from './sandbox-schema';
import { SandboxTasks, SandboxTaskView } from './sandbox-tasks';
import { HubSpotSandboxCounts, HubSpotSandboxMutation, HubSpotSandboxOptions, SandboxWriteCall } from './sandbox-types';
import { batchUpdate } from './sandbox-updates';
import { readBody, sendJson, VendorSandbox } from '../kit/sandbox';

export type { HubSpotSandboxCounts, HubSpotSandboxMutation, HubSpotSandboxOptions, SandboxWriteCall } from './sandbox-types';

export const SANDBOX_PRIVATE_APP_TOKEN = 'pat-na1-sandbox-0000';
export const SANDBOX_OAUTH_CLIENT: SandboxOAuthClient = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  refreshToken: 'sandbox-refresh-token',
};

const OBJECTS = /^\/crm\/v3\/objects\/([^/]+)(\/search)?$/;
const ASSOCIATIONS = /^\/crm\/v4\/associations\/([^/]+)\/([^/]+)\/batch\/read$/;
const PROPERTIES = /^\/crm\/v3\/properties\/([^/]+)(\/groups|\/batch\/create)?$/;
const BATCH_READ = /^\/crm\/v3\/objects\/(companies|contacts)\/batch\/read$/;
const BATCH_WRITE = /^\/crm\/v3\/objects\/(tasks\/batch\/create|companies\/batch\/update|contacts\/batch\/update)$/;

/**
 * An imitation of the HubSpot CRM API for the endpoints the connector uses, with HubSpot's page
 * sizes, limits, rate windows, auth (an OAuth app's consent page and token endpoint among it),
 * property validation and error shapes. A plain node http
 * handler: mount it under any prefix (it routes on `req.url` relative to the mount) or serve it
 * with `listenSandbox`. Test controls and inspection: sandbox-control.ts.
 */
export class HubSpotSandbox implements VendorSandbox {
  readonly name = 'hubspot';
  readonly portal: SandboxPortal;
  readonly privateAppToken: string;
  readonly oauthClient: SandboxOAuthClient;
  readonly schema: SandboxSchema;
  /** Tasks created through the API. */
  readonly taskStore: SandboxTasks;
  private readonly properties: SandboxProperties;
  private readonly auth: SandboxAuth;
  private readonly limits: SandboxLimits;
  private readonly control = new SandboxControl(this);
  private readonly failures: Array<503 | 429> = [];
  private readonly writeLog: SandboxWriteCall[] = [];
  private outageOn = false;
  private failAfterWrites = 0;
  private received = 0;

  constructor(private readonly options: HubSpotSandboxOptions = {}) {
    const now = Date.now();
    this.portal = generatePortal({
      companies: options.companies ?? 200,
      contactsPerCompany: options.contactsPerCompany ?? 3,
      owners: options.owners ?? 25,
      archivedOwners: options.archivedOwners ?? 3,
      seed: options.seed ?? 1,
      now,
    });
    generateArrHistory(this.portal, options.seed ?? 1, now);
    this.privateAppToken = options.privateAppToken ?? SANDBOX_PRIVATE_APP_TOKEN;
    this.oauthClient = { ...SANDBOX_OAUTH_CLIENT, ...options.oauth };
    this.auth = new SandboxAuth(this.privateAppToken, this.oauthClient, options.accessTokenTtlSeconds ?? 1800);
    this.limits = new SandboxLimits({
      requestsPer10s: options.requestsPer10s ?? 190,
      searchPerSecond: options.searchPerSecond ?? 4,
      dailyLimit: options.dailyLimit ?? 1_000_000,
    });
    this.schema = new SandboxSchema(options.missingProperties ?? [], now);
    this.properties = new SandboxProperties(this.schema, () => Date.now());
    this.taskStore = new SandboxTasks(this.portal);
    if (options.npsFields) defineNpsFields(this.schema, this.properties);
    this.properties.writable = options.propertyAccess ?? true;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.serve(req, res).catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { status: 'error', message: `sandbox failure: ${error.message}`, category: 'INTERNAL_ERROR' });
      else res.destroy(error);
    });
  }

  /** API requests received since the last reset (control requests under /_sandbox excluded). */
  calls(): number {
    return this.received;
  }

  /** Starts counting again: calls() and writeCalls() empty. */
  resetCalls(): void {
    this.received = 0;
    this.writeLog.length = 0;
  }

  changeCompanies = (count: number) => mutations.changeCompanies(this.portal, count);
  changeContacts = (count: number) => mutations.changeContacts(this.portal, count);
  relabelAssociations = (count: number) => mutations.relabelAssociations(this.portal, count);
  archiveCompanies = (count: number) => mutations.archiveCompanies(this.portal, count);
  archiveContacts = (count: number) => mutations.archiveContacts(this.portal, count);

  /** A CSM completes a task: hs_task_status COMPLETED, its modification time bumped. */
  completeTask = (id: string): SandboxTaskView => this.taskStore.view(this.taskStore.complete(id));

  /** Every task created through the API, oldest first. */
  tasks(): SandboxTaskView[] {
    return this.taskStore.all.map((task) => this.taskStore.view(task));
  }

  /** A company's current values of every defined property (null when unset); undefined for an unknown id. */
  companyProperties(id: string): Record<string, string | null> | undefined {
    return this.recordProperties('companies', id);
  }

  contactProperties(id: string): Record<string, string | null> | undefined {
    return this.recordProperties('contacts', id);
  }

  /** Write requests (batch creates and updates, property and group definitions) since the last resetCalls, oldest first. */
  writeCalls(): SandboxWriteCall[] {
    return this.writeLog.map((call) => ({ ...call }));
  }

  /** Tasks created, and companies / contacts holding a value in some nps_bridge property. */
  writebackCounts(): { tasks: number; accounts: number; contacts: number } {
    return {
      tasks: this.taskStore.all.length,
      accounts: holdingNpsValues(this.portal, this.schema, 'companies'),
      contacts: holdingNpsValues(this.portal, this.schema, 'contacts'),
    };
  }

  /** Every OAuth access token issued so far answers 401 from now on. */
  expireTokens(): void {
    this.auth.expireAll();
  }

  /** Every OAuth refresh token stops working (the app uninstalled): a refresh answers BAD_REFRESH_TOKEN. */
  revokeRefreshTokens(): void {
    this.auth.revokeRefreshTokens();
  }

  /** OAuth access tokens granted so far, by grant type. */
  oauthGrants(): { authorization_code: number; refresh_token: number } {
    return { ...this.auth.granted };
  }

  /** Refresh tokens issued through the consent page (kept in the state file). */
  oauthRefreshTokens(): string[] {
    return this.auth.issuedRefreshTokens();
  }

  restoreOAuthRefreshTokens(tokens: string[]): void {
    this.auth.restoreRefreshTokens(tokens);
  }

  /** The next `count` authenticated API requests fail: 503, or 429 TEN_SECONDLY_ROLLING. */
  failNext(count: number, kind: 503 | 429): void {
    for (let i = 0; i < count; i++) this.failures.push(kind);
  }

  /** While on, every authenticated API request answers 503 (the token endpoint still works). */
  outage(on: boolean): void {
    this.outageOn = on;
  }

  /** The next `count` tasks batch/create calls create their tasks, then answer 503: a lost answer. */
  failAfterWrite(count: number): void {
    this.failAfterWrites = count;
  }

  /** false: creating property groups and properties answers 403 MISSING_SCOPES. */
  setPropertyAccess(allowed: boolean): void {
    this.properties.writable = allowed;
  }

  counts(): HubSpotSandboxCounts {
    const live = (records: Array<{ archivedMs: number | null }>) => records.filter((r) => r.archivedMs === null).length;
    return {
      companies: live(this.portal.companies),
      contacts: live(this.portal.contacts),
      owners: this.portal.owners.filter((o) => !o.archived).length,
      archivedOwners: this.portal.owners.filter((o) => o.archived).length,
      associations: this.portal.liveLinks().length,
      archivedCompanies: this.portal.companies.length - live(this.portal.companies),
      archivedContacts: this.portal.contacts.length - live(this.portal.contacts),
    };
  }

  /** The same mutations over HTTP: POST /_sandbox/mutate with one of these bodies. */
  mutate(mutation: HubSpotSandboxMutation): unknown {
    switch (mutation.action) {
      case 'changeCompanies':
      case 'changeContacts':
      case 'relabelAssociations':
      case 'archiveCompanies':
      case 'archiveContacts':
        return this[mutation.action](Number(mutation.count) || 0);
      case 'failNext':
        return this.failNext(Number(mutation.count) || 0, mutation.kind === 429 ? 429 : 503);
      case 'failAfterWrite':
        return this.failAfterWrite(Number(mutation.count) || 0);
      case 'outage':
        return this.outage(mutation.on === true);
      case 'setPropertyAccess':
        return this.setPropertyAccess(mutation.allowed === true);
      case 'completeTask':
        return this.completeTask(String(mutation.id)).id;
      case 'expireTokens':
        return this.expireTokens();
      case 'revokeRefreshTokens':
        return this.revokeRefreshTokens();
      case 'resetCalls':
        return this.resetCalls();
      default:
        throw new Error(`unknown sandbox mutation ${JSON.stringify(mutation)}`);
    }
  }

  private recordProperties(type: SandboxObjectType, id: string): Record<string, string | null> | undefined {
    const record = type === 'companies' ? this.portal.companyById.get(id) : this.portal.contactById.get(id);
    return record && recordValues(this.portal, this.schema, type, record);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const raw = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await readBody(req) : '';
    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) return this.control.handle(method, path, raw, res);
    // The app's consent page (app.hubspot.com/oauth/authorize): a person's, not an API call.
    if (path === '/oauth/authorize' && method === 'GET') return this.auth.authorize(url.searchParams, res);
    if (path === '/oauth/authorize' && method === 'POST') return this.auth.decide(new URLSearchParams(raw), res);

    this.received++;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    let key = 'anonymous';
    let answer: SandboxAnswer;
    if (method === 'POST' && path === '/oauth/v1/token') {
      answer = this.auth.token(new URLSearchParams(raw));
    } else {
      const caller = this.auth.verify(req.headers.authorization);
      if ('status' in caller) answer = caller;
      else {
        key = caller.token;
        const injected = this.outageOn ? 503 : this.failures.shift();
        const isSearch = method === 'POST' && OBJECTS.exec(path)?.[2] !== undefined;
        answer =
          (injected === 503 ? unavailable() : injected === 429 ? rateLimited('TEN_SECONDLY_ROLLING') : undefined) ??
          this.limits.admit(key, isSearch) ??
          this.route(method, path, url.searchParams, raw);
      }
      if (method === 'POST' && (BATCH_WRITE.test(path) || PROPERTIES.test(path))) this.logWrite(method, path, raw, answer.status);
    }
    sendJson(res, answer.status, answer.body, { ...this.limits.headers(key), ...answer.headers });
  }

  private route(method: string, path: string, query: URLSearchParams, raw: string): SandboxAnswer {
    try {
      const body = (): Record<string, never> => (raw ? JSON.parse(raw) : {});
      const write = BATCH_WRITE.exec(path);
      if (write && method === 'POST') return this.batchWrite(write[1], body());
      const read = BATCH_READ.exec(path);
      if (read && method === 'POST') return batchRead(this.portal, this.schema, read[1] as SandboxObjectType, body());
      const objects = OBJECTS.exec(path);
      const type = objects ? objectType(objects[1]) : undefined;
      if (objects && type && method === 'GET' && !objects[2]) return listObjects(this.portal, type, query, this.schema);
      if (objects && type && method === 'POST' && objects[2]) return searchObjects(this.portal, type, body(), this.schema);
      if (objects?.[1] === 'tasks' && method === 'POST' && objects[2]) return this.taskStore.search(body());
      const associations = ASSOCIATIONS.exec(path);
      if (associations && method === 'POST') {
        return batchReadAssociations(this.portal, associations[1], associations[2], body(), this.options.associationPageSize ?? 500);
      }
      if (path === '/crm/v3/owners' && method === 'GET') return listOwners(this.portal, query);
      const properties = PROPERTIES.exec(path);
      if (properties) return this.propertiesRoute(method, properties[1], properties[2], body);
      return notFound(path);
    } catch (error) {
      if (error instanceof SyntaxError) return badRequest(`Invalid input JSON: ${error.message}`);
      throw error;
    }
  }

  private batchWrite(what: string, body: Record<string, never>): SandboxAnswer {
    if (what === 'companies/batch/update') return batchUpdate(this.portal, this.schema, 'companies', body);
    if (what === 'contacts/batch/update') return batchUpdate(this.portal, this.schema, 'contacts', body);
    const answer = this.taskStore.create(body);
    if (this.failAfterWrites > 0 && answer.status < 300) {
      this.failAfterWrites--;
      return unavailable();
    }
    return answer;
  }

  private propertiesRoute(method: string, typeName: string, sub: string | undefined, body: () => Record<string, never>): SandboxAnswer {
    if (sub === undefined && method === 'GET') return this.properties.list(typeName);
    if (sub === undefined && method === 'POST') return this.properties.create(typeName, body());
    if (sub === '/groups' && method === 'GET') return this.properties.listGroups(typeName);
    if (sub === '/groups' && method === 'POST') return this.properties.createGroup(typeName, body());
    if (sub === '/batch/create' && method === 'POST') return this.properties.batchCreate(typeName, body());
    return notFound(`${method} /crm/v3/properties/${typeName}${sub ?? ''}`);
  }

  private logWrite(method: string, path: string, raw: string, status: number): void {
    let inputs: number | null = null;
    try {
      const parsed = raw ? (JSON.parse(raw) as { inputs?: unknown }) : {};
      if (Array.isArray(parsed.inputs)) inputs = parsed.inputs.length;
    } catch {
      // an unreadable body is logged without a count
    }
    this.writeLog.push({ method, path, inputs, status });
  }
}

export function createHubSpotSandbox(options: HubSpotSandboxOptions = {}): HubSpotSandbox {
  return new HubSpotSandbox(options);
}
