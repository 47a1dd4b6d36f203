import { SandboxChanges } from './sandbox-mutations';
import { MetadataAccess } from './sandbox-permissions';

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
  /**
   * The rules §8 NPS fields (default names) already exist and the integration user may read and edit
   * them, as after a successful setup (benchmarks). Default false: ensureFields creates them.
   */
  npsFields?: boolean;
  /** Whether the integration user may create custom fields and permission sets (default true). */
  metadataAccess?: boolean;
  /**
   * Field history tracking on Account.ARR__c (default true): generated accounts come with ARR
   * history and ARR changes add AccountHistory rows. false: the org keeps no ARR history.
   */
  arrHistoryTracked?: boolean;
  /** Callback URLs registered on the app for the web server flow; unset: any http(s) URL is taken. */
  callbackUrls?: string[];
  /** Refresh token rotation: each refresh answers a new refresh token and ends the one it used. */
  rotateRefreshTokens?: boolean;
}

/** What POST /_sandbox/mutate accepts: data changes plus session and fault controls. */
export interface SandboxMutation extends SandboxChanges {
  /** Task ids to complete, as their owner would (Status Completed, IsClosed, CompletedDateTime). */
  completeTasks?: string[];
  /** Every access token stops working (the next data call gets 401 INVALID_SESSION_ID); refresh tokens still work. */
  expireTokens?: boolean;
  /** Every refresh token of the web server flow stops working (the app's access revoked): a refresh answers invalid_grant. */
  revokeRefreshTokens?: boolean;
  failNext?: { count: number; kind: SandboxFault };
}

/** One control action, also accepted by POST /_sandbox/mutate. */
export type SandboxAction =
  /** allowed false: Tooling field creates answer 403 and permission-set writes are refused (scope 'permissions': only the latter). */
  | { action: 'setMetadataAccess'; allowed: boolean; scope?: 'all' | 'permissions' }
  /** While on, every request (token endpoint included) answers 503 SERVER_UNAVAILABLE. */
  | { action: 'outage'; on: boolean }
  /** The next `count` collections POSTs create their records, then answer 503. */
  | { action: 'failAfterWrite'; count: number };

export interface SandboxControlState {
  outage: boolean;
  /** Collections POSTs left that will create and then answer 503. */
  failAfterWrite: number;
  metadataAccess: MetadataAccess;
}

/** One write request the sandbox received (GET /_sandbox/writes). */
export interface SandboxWriteCall {
  method: string;
  /** Under /services/data/vXX.X: /composite/sobjects, /sobjects/PermissionSet, /tooling/sobjects/CustomField. */
  resource: string;
  /** The sObject type of each record, in order (collections: attributes.type). */
  types: string[];
  records: number;
  /** What the sandbox answered. */
  status: number;
  /** The body as sent: parsed JSON, or the text when it was not JSON. */
  body: unknown;
  at: string;
}

/** The log entry for one write request: types and record count read from its body. */
export function describeWrite(method: string, resource: string, text: string, status: number): SandboxWriteCall {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // logged as sent
  }
  const records = (body as { records?: unknown } | null)?.records;
  const sobject = /^\/sobjects\/([A-Za-z0-9_]+)/.exec(resource)?.[1] ?? (/CustomField/i.test(resource) ? 'CustomField' : undefined);
  const types = Array.isArray(records) ? records.map((r) => String((r as { attributes?: { type?: unknown } } | null)?.attributes?.type ?? '')) : sobject ? [sobject] : [];
  return { method, resource, types, records: types.length, status, body, at: new Date().toISOString() };
}
