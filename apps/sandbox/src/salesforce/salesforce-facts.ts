/**
 * Salesforce's own numbers and names, as Salesforce documents them (the sections of
 * connectors/salesforce/README.md named below state each with its source). The sandbox states
 * them itself rather than reading the connector's descriptor, so a wrong number there is caught
 * by the connector tests, not mirrored.
 */

/** connectors/salesforce/README.md "JWT bearer": the OAuth token endpoint on the login host and on My Domain. */
export const TOKEN_PATH = '/services/oauth2/token';

/** connectors/salesforce/README.md "OAuth web server flow": the authorize endpoint (consent page) on the login host and on My Domain. */
export const AUTHORIZE_PATH = '/services/oauth2/authorize';

/** connectors/salesforce/README.md "OAuth web server flow": an authorization code is valid for 15 minutes, once. */
export const AUTHORIZATION_CODE_TTL_MS = 15 * 60_000;

/** connectors/salesforce/README.md "OAuth web server flow": the scopes an External Client App may be given, with what they allow. */
export const OAUTH_SCOPES: Readonly<Record<string, string>> = {
  api: 'access and manage your data (REST API)',
  refresh_token: 'perform requests at any time (offline access)',
  offline_access: 'perform requests at any time (offline access)',
  full: 'full access',
  id: 'access your basic information',
};

/** connectors/salesforce/README.md "SOQL paging": a query answer holds at most 2,000 records; the rest via nextRecordsUrl. */
export const SOQL_MAX_PAGE_SIZE = 2000;

/** connectors/salesforce/README.md "sObject Collections": at most 200 records per create or update request. */
export const COLLECTION_MAX_RECORDS = 200;

/** connectors/salesforce/README.md "Limits": a full sandbox org gets 5,000,000 API requests per rolling 24 h. */
export const FULL_SANDBOX_DAILY_REQUESTS = 5_000_000;

/** connectors/salesforce/README.md "Limits": the daily allocation spent is answered 403 with this errorCode, no Retry-After. */
export const REQUEST_LIMIT_EXCEEDED = 'REQUEST_LIMIT_EXCEEDED';

/** connectors/salesforce/README.md "Contact roles": AccountContactRelation.Roles' default picklist values, in Salesforce's order. */
export const DEFAULT_CONTACT_ROLES = [
  'Business User',
  'Decision Maker',
  'Economic Buyer',
  'Economic Decision Maker',
  'Evaluator',
  'Executive Sponsor',
  'Influencer',
  'Technical Buyer',
  'Other',
] as const;
