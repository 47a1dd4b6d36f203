/**
 * Salesforce as data: every number and name the connector and its sandbox rely on, each quoted
 * from /work/shared/docs/vendor-apis.md (§1 Salesforce, §4 minimum API calls).
 */
export const salesforceDescriptor = {
  kind: 'salesforce',
  label: 'Salesforce',
  /** §1 Auth, "API version": jsforce defaults to version 50.0, so we set it explicitly. */
  apiVersion: '62.0',
  /** §1 Auth: the OAuth host for production orgs (sandboxes use test.salesforce.com or My Domain). */
  loginUrl: 'https://login.salesforce.com',
  /** §1 Auth: the OAuth token endpoint, relative to the login URL (JWT bearer and client credentials). */
  tokenPath: '/services/oauth2/token',
  /** §1 Auth: JWT bearer grant type, signed RS256 with iss, sub, aud, exp. */
  jwtGrantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  /** §1 Auth: Salesforce rejects a JWT whose exp is more than 3 minutes away. */
  jwtLifetimeSeconds: 180,
  /** §1 Reads, "SOQL paging": up to 2,000 records per response; the rest via nextRecordsUrl. */
  soqlPageSize: 2000,
  /** §1 Writes, "sObject Collections": at most 200 records per request. */
  collectionBatchSize: 200,
  /** §1 Limits: "Sforce-Limit-Info: api-usage=used/limit" on every REST response (lower-cased). */
  limitHeader: 'sforce-limit-info',
  /** §1 Limits: daily allocation is org-wide and shared with the customer's other integrations. */
  dailyBudgetShare: 0.5,
  /** §1 Limits: a full sandbox org gets 5M API calls per rolling 24 h. */
  fullSandboxDailyLimit: 5_000_000,
  /** §1 Limits: exhaustion is HTTP 403 with this errorCode and no Retry-After. */
  limitErrorCode: 'REQUEST_LIMIT_EXCEEDED',
  /** §1 Limits: 401 means this errorCode (expired or revoked token). */
  sessionErrorCode: 'INVALID_SESSION_ID',
  /** §1 Objects: AccountContactRelation.Roles is a multi-select picklist, values joined by ';'. */
  multiSelectSeparator: ';',
  /** §1 Objects: default AccountContactRelation.Roles picklist values. */
  defaultContactRoles: [
    'Business User',
    'Decision Maker',
    'Economic Buyer',
    'Economic Decision Maker',
    'Evaluator',
    'Executive Sponsor',
    'Influencer',
    'Technical Buyer',
    'Other',
  ],
} as const;

export type SalesforceDescriptor = typeof salesforceDescriptor;
