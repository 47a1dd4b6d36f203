import { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, VendorSandbox } from '../../core/src';
import { SandboxAuth, SandboxOAuthClient } from './sandbox-auth';
import { batchReadAssociations, objectType } from './sandbox-associations';
import { SandboxPortal } from './sandbox-data';
import { badRequest, hubspotError, notFound, rateLimited, SandboxAnswer, unavailable } from './sandbox-errors';
import { generatePortal } from './sandbox-generate';
import { SandboxLimits } from './sandbox-limits';
import { listOwners, listProperties } from './sandbox-meta';
import * as mutations from './sandbox-mutations';
import { listObjects, searchObjects } from './sandbox-objects';
import { SandboxTask, SandboxWrites } from './sandbox-writes';

export interface HubSpotSandboxOptions {
  /** Companies in the portal (default 200). */
  companies?: number;
  contactsPerCompany?: number;
  /** Active owners (default 25); `archivedOwners` (default 3) are deactivated users. */
  owners?: number;
  archivedOwners?: number;
  seed?: number;
  /** Delay before every API answer, to imitate the network (default 0). */
  latencyMs?: number;
  /** Rolling 10-second budget per token (default 190, HubSpot Pro/Enterprise). */
  requestsPer10s?: number;
  /** Search requests per rolling second per token (default 4). */
  searchPerSecond?: number;
  dailyLimit?: number;
  privateAppToken?: string;
  oauth?: Partial<SandboxOAuthClient>;
  accessTokenTtlSeconds?: number;
  /** Associations per record in one v4 batch answer before `paging` (default 500). */
  associationPageSize?: number;
  /** Company properties this portal lacks (e.g. ['arr']), to exercise testConnection. */
  missingProperties?: string[];
}

export type HubSpotSandboxMutation =
  | { action: 'changeCompanies' | 'changeContacts' | 'relabelAssociations' | 'archiveCompanies' | 'archiveContacts'; count: number }
  | { action: 'failNext'; count: number; kind: 503 | 429 }
  | { action: 'completeTask'; id: string }
  | { action: 'expireTokens' | 'resetCalls' };

export interface HubSpotSandboxCounts {
  companies: number;
  contacts: number;
  owners: number;
  archivedOwners: number;
  /** Live contact–company associations. */
  associations: number;
  archivedCompanies: number;
  archivedContacts: number;
}

export const SANDBOX_PRIVATE_APP_TOKEN = 'pat-na1-sandbox-0000';
export const SANDBOX_OAUTH_CLIENT: SandboxOAuthClient = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  refreshToken: 'sandbox-refresh-token',
};

const OBJECTS = /^\/crm\/v3\/objects\/([^/]+)(\/search)?$/;
const ASSOCIATIONS = /^\/crm\/v4\/associations\/([^/]+)\/([^/]+)\/batch\/read$/;
const PROPERTIES = /^\/crm\/v3\/properties\/([^/]+)$/;
const BATCH_WRITE = /^\/crm\/v3\/objects\/(tasks\/batch\/create|companies\/batch\/update)$/;

/**
 * An imitation of the HubSpot CRM API for the endpoints the connector uses, with HubSpot's page
 * sizes, limits, rate windows, auth and error shapes. A plain node http handler: mount it under
 * any prefix (it routes on `req.url` relative to the mount) or serve it with `listenSandbox`.
 */
export class HubSpotSandbox implements VendorSandbox {
  readonly name = 'hubspot';
  readonly portal: SandboxPortal;
  readonly privateAppToken: string;
  readonly oauthClient: SandboxOAuthClient;
  /** Tasks created through the API and custom company values written back. */
  readonly writes: SandboxWrites;
  private readonly auth: SandboxAuth;
  private readonly limits: SandboxLimits;
  private readonly dropped: Set<string>;
  private readonly failures: Array<503 | 429> = [];
  private received = 0;

  constructor(private readonly options: HubSpotSandboxOptions = {}) {
    this.portal = generatePortal({
      companies: options.companies ?? 200,
      contactsPerCompany: options.contactsPerCompany ?? 3,
      owners: options.owners ?? 25,
      archivedOwners: options.archivedOwners ?? 3,
      seed: options.seed ?? 1,
      now: Date.now(),
    });
    this.privateAppToken = options.privateAppToken ?? SANDBOX_PRIVATE_APP_TOKEN;
    this.oauthClient = { ...SANDBOX_OAUTH_CLIENT, ...options.oauth };
    this.auth = new SandboxAuth(this.privateAppToken, this.oauthClient, options.accessTokenTtlSeconds ?? 1800);
    this.limits = new SandboxLimits({
      requestsPer10s: options.requestsPer10s ?? 190,
      searchPerSecond: options.searchPerSecond ?? 4,
      dailyLimit: options.dailyLimit ?? 1_000_000,
    });
    this.dropped = new Set(options.missingProperties ?? []);
    this.writes = new SandboxWrites(this.portal);
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

  resetCalls(): void {
    this.received = 0;
  }

  changeCompanies = (count: number) => mutations.changeCompanies(this.portal, count);
  changeContacts = (count: number) => mutations.changeContacts(this.portal, count);
  relabelAssociations = (count: number) => mutations.relabelAssociations(this.portal, count);
  archiveCompanies = (count: number) => mutations.archiveCompanies(this.portal, count);
  archiveContacts = (count: number) => mutations.archiveContacts(this.portal, count);

  /** A CSM completes a task: hs_task_status COMPLETED, its modification time bumped. */
  completeTask = (id: string) => this.writes.completeTask(id);

  /** Every task created through the API, oldest first. */
  tasks(): SandboxTask[] {
    return [...this.writes.tasks];
  }

  /** Every OAuth access token issued so far answers 401 from now on. */
  expireTokens(): void {
    this.auth.expireAll();
  }

  /** The next `count` authenticated API requests fail: 503, or 429 TEN_SECONDLY_ROLLING. */
  failNext(count: number, kind: 503 | 429): void {
    for (let i = 0; i < count; i++) this.failures.push(kind);
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
      case 'completeTask':
        return this.completeTask(String(mutation.id)).id;
      case 'expireTokens':
        return this.expireTokens();
      case 'resetCalls':
        return this.resetCalls();
      default:
        throw new Error(`unknown sandbox mutation ${JSON.stringify(mutation)}`);
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const raw = req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : '';
    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) return this.control(req.method ?? 'GET', path, raw, res);

    this.received++;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    let key = 'anonymous';
    let answer: SandboxAnswer;
    if (req.method === 'POST' && path === '/oauth/v1/token') {
      answer = this.auth.token(new URLSearchParams(raw));
    } else {
      const caller = this.auth.verify(req.headers.authorization);
      if ('status' in caller) answer = caller;
      else {
        key = caller.token;
        const injected = this.failures.shift();
        const isSearch = req.method === 'POST' && OBJECTS.exec(path)?.[2] !== undefined;
        answer =
          (injected === 503 ? unavailable() : injected === 429 ? rateLimited('TEN_SECONDLY_ROLLING') : undefined) ??
          this.limits.admit(key, isSearch) ??
          this.route(req.method ?? 'GET', path, url.searchParams, raw);
      }
    }
    sendJson(res, answer.status, answer.body, { ...this.limits.headers(key), ...answer.headers });
  }

  private route(method: string, path: string, query: URLSearchParams, raw: string): SandboxAnswer {
    const body = (): unknown => (raw ? JSON.parse(raw) : {});
    try {
      const objects = OBJECTS.exec(path);
      const type = objects ? objectType(objects[1]) : undefined;
      if (objects && type && method === 'GET' && !objects[2]) return listObjects(this.portal, type, query, this.dropped);
      if (objects && type && method === 'POST' && objects[2]) return searchObjects(this.portal, type, body() as never, this.dropped);
      if (objects?.[1] === 'tasks' && method === 'POST' && objects[2]) return this.writes.searchTasks(body() as never);
      const write = BATCH_WRITE.exec(path);
      if (write && method === 'POST') {
        return write[1].startsWith('tasks') ? this.writes.createTasks(body() as never) : this.writes.updateCompanies(body() as never);
      }
      const associations = ASSOCIATIONS.exec(path);
      if (associations && method === 'POST') {
        return batchReadAssociations(this.portal, associations[1], associations[2], body() as never, this.options.associationPageSize ?? 500);
      }
      if (path === '/crm/v3/owners' && method === 'GET') return listOwners(this.portal, query);
      const properties = PROPERTIES.exec(path);
      if (properties && method === 'GET') return listProperties(properties[1], this.dropped);
      return notFound(path);
    } catch (error) {
      if (error instanceof SyntaxError) return badRequest(`Invalid input JSON: ${error.message}`);
      throw error;
    }
  }

  private control(method: string, path: string, raw: string, res: ServerResponse): void {
    if (method === 'POST' && path === '/_sandbox/mutate') {
      try {
        const result = this.mutate(JSON.parse(raw || '{}') as HubSpotSandboxMutation);
        return sendJson(res, 200, { result: result ?? null, counts: this.counts() });
      } catch (error) {
        const answer = badRequest((error as Error).message);
        return sendJson(res, answer.status, answer.body);
      }
    }
    if (method === 'GET' && path === '/_sandbox/counts') return sendJson(res, 200, this.counts());
    if (method === 'GET' && path === '/_sandbox') {
      return sendJson(res, 200, {
        name: this.name,
        imitates: 'HubSpot CRM API (companies, contacts, owners, properties, associations v4, tasks, batch writes, OAuth token)',
        privateAppToken: this.privateAppToken,
        oauth: { clientId: this.oauthClient.clientId, clientSecret: this.oauthClient.clientSecret, refreshToken: this.oauthClient.refreshToken },
        counts: this.counts(),
        calls: this.received,
      });
    }
    const answer = hubspotError(404, `No sandbox control ${method} ${path}`, 'OBJECT_NOT_FOUND');
    sendJson(res, answer.status, answer.body);
  }
}

export function createHubSpotSandbox(options: HubSpotSandboxOptions = {}): HubSpotSandbox {
  return new HubSpotSandbox(options);
}
