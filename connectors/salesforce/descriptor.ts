import type { NpsAccountField, NpsContactField } from '@connectors/core/src/crm-writes';
import type { RetryFacts } from '@connectors/core/src/retry-policy';
import type { ErrorKindFacts, UsageHeaders } from '@connectors/core/src/vendor-failure';

/**
 * Salesforce as data: every number and name the connector and its sandbox rely on. Each comment
 * names the section of connectors/salesforce/README.md (README "…") that states the vendor fact.
 */
export const salesforceDescriptor = {
  kind: 'salesforce',
  label: 'Salesforce',
  /** README "API version": jsforce defaults to version 50.0, so we set it explicitly. */
  apiVersion: '62.0',
  /** README "Signing in": the OAuth host for production orgs (sandboxes use test.salesforce.com or My Domain). */
  loginUrl: 'https://login.salesforce.com',
  /** README "JWT bearer": the OAuth token endpoint, relative to the login URL (JWT bearer and client credentials). */
  tokenPath: '/services/oauth2/token',
  /** README "OAuth web server flow": the authorize endpoint, on the org's My Domain host. */
  authorizePath: '/services/oauth2/authorize',
  /**
   * README "OAuth web server flow": the scopes the External Client App needs and the authorize
   * request asks for: `api` (REST and Tooling calls) and `refresh_token` (offline access, so a
   * refresh token is issued).
   */
  oauthScopes: ['api', 'refresh_token'],
  /** README "OAuth web server flow": Salesforce recommends the web server flow with PKCE (S256 code challenge). */
  oauthPkce: true,
  /** README "JWT bearer": the grant type, signed RS256 with iss, sub, aud, exp. */
  jwtGrantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  /** README "JWT bearer": Salesforce rejects a JWT whose exp is more than 3 minutes away. */
  jwtLifetimeSeconds: 180,
  /** README "SOQL paging": up to 2,000 records per response; the rest via nextRecordsUrl. */
  soqlPageSize: 2000,
  /**
   * README "URI length": URI and headers within 16,384 bytes (414/431). Our own budget for a query URL (path and
   * encoded SOQL) with `Id IN (…)` lists, leaving room for the version prefix and the headers
   * (a bearer token is ~120 bytes): about 430 quoted ids per request.
   */
  queryUrlBudgetBytes: 12_000,
  /** README "Field history": AccountHistory rows for a tracked Account field; 'created' marks the account's creation. */
  accountHistoryObject: 'AccountHistory',
  historyCreatedField: 'created',
  /** README "sObject Collections": at most 200 records per request. */
  collectionBatchSize: 200,
  /** README "Limits": Sforce-Limit-Info: api-usage=used/limit on every REST response (lower-cased). */
  usageHeaders: { header: 'sforce-limit-info', usedOfLimit: /api-usage=(\d+)\/(\d+)/ } satisfies UsageHeaders,
  /**
   * README "Limits": Salesforce ends REST calls after 10 minutes (queries excepted). An answer not complete a minute
   * after that (a connection stalled mid-body) is given up, so a worker never hangs on it.
   */
  requestTimeoutMs: 11 * 60_000,
  /** README "Limits": the daily allocation is org-wide and shared with the customer's other integrations. */
  dailyBudgetShare: 0.5,
  /** README "Limits": a full sandbox org gets 5M API calls per rolling 24 h. */
  fullSandboxDailyLimit: 5_000_000,
  /** README "Limits": exhaustion is HTTP 403 with this errorCode and no Retry-After. */
  limitErrorCode: 'REQUEST_LIMIT_EXCEEDED',
  /**
   * For core's retry policy: README "Limits": Salesforce sends no Retry-After with REQUEST_LIMIT_EXCEEDED (the
   * connector marks it a rate limit); concurrency clears in seconds, so our backoff suits it.
   * The daily allocation is guarded before a call (dailyBudgetShare), never by waiting.
   */
  retry: {} satisfies RetryFacts,
  /** README "Errors": 401 means this errorCode (expired or revoked token). */
  sessionErrorCode: 'INVALID_SESSION_ID',
  /**
   * For core's error kinds (README "Errors", "Limits"): the errorCode decides where it says more than
   * the status (REQUEST_LIMIT_EXCEEDED is a 403, a session refused is INVALID_SESSION_ID whatever
   * the status). A 403 otherwise, a 408 and a 429 are read as refusals of the request ('invalid'), not
   * as core's auth / unavailable / rate_limited: how this connector has always read them (on the
   * token endpoint they are refused credentials).
   */
  errorKinds: {
    codeKinds: { REQUEST_LIMIT_EXCEEDED: 'rate_limited', INVALID_SESSION_ID: 'auth', NOT_FOUND: 'not_found' },
    statusKinds: { 403: 'invalid', 408: 'invalid', 429: 'invalid' },
  } satisfies ErrorKindFacts,
  /** README "Contact roles": AccountContactRelation.Roles is a multi-select picklist, values joined by ';'. */
  multiSelectSeparator: ';',
  /** README "Contact roles": the default AccountContactRelation.Roles picklist values. */
  defaultContactRoles: ['Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor', 'Influencer', 'Technical Buyer', 'Other'],
  /**
   * rules §8 (libs/nps/README.md): default API names of the fields nps-bridge writes back (a connection's
   * settings.npsFields may rename them). Custom fields end in __c (README "Custom naming").
   */
  npsFieldNames: {
    relationalNps: 'NPS_Relational__c',
    decisionMakerNps: 'NPS_Decision_Maker__c',
    endUserNps: 'NPS_End_User__c',
    roleGap: 'NPS_Role_Gap__c',
    responses12m: 'NPS_Responses_12m__c',
    lastResponseDate: 'NPS_Last_Response_Date__c',
    sentiment: 'NPS_Sentiment__c',
    healthQuadrant: 'NPS_Health_Quadrant__c',
    lastRelationalScore: 'NPS_Last_Score__c',
    lastRelationalCategory: 'NPS_Last_Category__c',
    lastRelationalDate: 'NPS_Last_Response_Date__c',
    lastRelationalComment: 'NPS_Last_Comment__c',
    lastTransactionalScore: 'Support_NPS_Last_Score__c',
    lastTransactionalCategory: 'Support_NPS_Last_Category__c',
    lastTransactionalDate: 'Support_NPS_Last_Date__c',
    lastTransactionalComment: 'Support_NPS_Last_Comment__c',
  } satisfies Record<NpsAccountField | NpsContactField, string>,
  /**
   * Tooling API CustomField (the Metadata API's REST face): POST { FullName: 'Object.Name__c',
   * Metadata: { type, label, ... } }. Text holds up to 255 characters, a long text area
   * 256..131,072 and needs visibleLines, a Number up to 18 digits.
   */
  customFieldPath: '/tooling/sobjects/CustomField',
  customField: { textLength: 255, longTextLength: 32768, longTextVisibleLines: 3, numberPrecision: 18, numberScale: 0 },
  /**
   * A field created through the API is visible to no profile until field-level security grants
   * it; nps-bridge grants read + edit through its own permission set, assigned to its user.
   */
  permissionSet: { name: 'NPS_Bridge', label: 'NPS Bridge', description: 'Read and edit the fields nps-bridge writes back. Managed by nps-bridge.' },
} as const;
