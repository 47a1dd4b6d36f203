import type { RetryFacts } from '@connectors/core/src/retry-policy';
import type { UsageHeaders } from '@connectors/core/src/vendor-failure';

/**
 * HubSpot as data: where it lives, its page and batch sizes, its rate budget and the headers it
 * reports usage in. Each comment names the section of connectors/hubspot/README.md (README "…")
 * that states the vendor fact, unless it says the number is our own choice.
 */
export const hubspotDescriptor = {
  kind: 'hubspot',
  label: 'HubSpot',
  /** README "Paths": the SDK (v13/v14) calls /crm/v3|v4 on this host (SDK Request default baseUrl). */
  baseUrl: 'https://api.hubapi.com',

  /** README "List pages": GET /crm/v3/objects/{type}?limit&after, max limit 100. */
  listPageSize: 100,
  /** README "Search": ≤ 200 records per page. */
  searchPageSize: 200,
  /** README "Search": 10,000-result cap per query; paging past it returns 400. */
  searchResultCap: 10_000,
  /** README "Batch": 100 inputs per request. */
  batchSize: 100,
  /** README "Batch": batch reads with `propertiesWithHistory` capped at 50 inputs (list pages likewise). */
  historyBatchSize: 50,
  /** README "Associations": the batch read's maximum inputs are not documented; we send 100. */
  associationBatchSize: 100,
  /**
   * Owners page size (README "Owners"): HubSpot answers limit > 500 with 400 "Must be less
   * than or equal to 500" (third-party capture of the owners endpoint), so 500 is the maximum.
   */
  ownersPageSize: 500,

  /** README "Rate limits": Professional/Enterprise private apps, 190 requests per 10 s (rolling). */
  burst: { requests: 190, perMs: 10_000 },
  /**
   * README "Rate limits": HubSpot documents no server-side timeout. Our bound for one request
   * to be fully answered (a batch of 100 answers in well under a second), so a stalled body
   * never holds a worker.
   */
  requestTimeoutMs: 2 * 60_000,
  /** README "Search": 5 req/s in current docs, 4/s in the older changelog; we budget 4/s. */
  search: { requests: 4, perMs: 1_000 },
  /**
   * Our own margin on the search window: 4 calls spaced exactly 250 ms apart leave no room for
   * network jitter in HubSpot's one-second window, so the search limiter spaces them 10 % wider.
   */
  searchWindowSlackMs: 100,

  /** README "Rate limits": X-HubSpot-RateLimit-Daily / -Daily-Remaining (OAuth responses may omit them). */
  usageHeaders: { limit: 'x-hubspot-ratelimit-daily', remaining: 'x-hubspot-ratelimit-daily-remaining' } satisfies UsageHeaders,
  /** README "Rate limits": 429 body policyName TEN_SECONDLY_ROLLING | DAILY; search says this sentence instead. */
  secondlyLimitMessage: 'You have reached your secondly limit.',
  /**
   * README "Rate limits" (429 body, SDK retries), for core's retry policy: a TEN_SECONDLY_ROLLING 429 clears
   * within the 10 s window and search's SECONDLY within a second, so the wait is at least that;
   * DAILY does not reset within a job, so it is not retried. Our backoff otherwise.
   */
  retry: {
    exhaustedCodes: ['DAILY'],
    windowWaitMs: { TEN_SECONDLY_ROLLING: 10_000, SECONDLY: 1_000 },
  } satisfies RetryFacts,

  /** README "Incremental sync": companies filter and sort on hs_lastmodifieddate. */
  companyModifiedProperty: 'hs_lastmodifieddate',
  /**
   * README "Incremental sync": contacts' default search properties list lastmodifieddate;
   * hs_lastmodifieddate on contacts is UNCONFIRMED, so we use the documented one.
   */
  contactModifiedProperty: 'lastmodifieddate',

  /** README "Associations": default type ids (SDK AssociationTypes enum). */
  associationTypeIds: {
    primaryContactToCompany: 1,
    primaryCompanyToContact: 2,
    contactToCompany: 279,
    companyToContact: 280,
    taskToContact: 204,
    taskToCompany: 192,
  },
  /** v3 list responses name the primary contact→company association by this type string. */
  primaryContactToCompanyType: 'contact_to_company',

  /** README "OAuth": where the admin approves an OAuth app (HubSpot's authorization page). */
  authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
  /** The same page's path on another host (the sandbox serves page and API on one host). */
  authorizePath: '/oauth/authorize',
  /**
   * README "OAuth": the scopes the app needs: companies and contacts read and write (tasks are
   * created under the contacts scopes), owners read, and the company and contact property
   * schemas read and write (the NPS properties setup creates).
   */
  oauthScopes: [
    'oauth',
    'crm.objects.companies.read',
    'crm.objects.companies.write',
    'crm.objects.contacts.read',
    'crm.objects.contacts.write',
    'crm.objects.owners.read',
    'crm.schemas.companies.read',
    'crm.schemas.companies.write',
    'crm.schemas.contacts.read',
    'crm.schemas.contacts.write',
  ],
  /** README "Auth": token endpoint; refresh on expires_in. Our margin before expiry. */
  tokenPath: '/oauth/v1/token',
  tokenRefreshMarginMs: 60_000,

  /**
   * Our own choice: a read's final cursor never passes (read start − this), so a record written
   * during the read, or not yet in HubSpot's search index, is read again next time.
   */
  cursorSettleMs: 60_000,

  /**
   * Our own choice (rules §8): the group our custom properties live in, as HubSpot
   * recommends for integration-owned properties (README "Custom properties").
   */
  npsPropertyGroup: { name: 'nps_bridge', label: 'NPS Bridge' },
  /** Our own choice: default internal names of the rules §8 properties (companies, then contacts). */
  npsFieldNames: {
    relationalNps: 'nps_relational',
    decisionMakerNps: 'nps_decision_maker',
    endUserNps: 'nps_end_user',
    roleGap: 'nps_role_gap',
    responses12m: 'nps_responses_12m',
    lastResponseDate: 'nps_last_response_date',
    sentiment: 'nps_sentiment',
    healthQuadrant: 'nps_health_quadrant',
    lastRelationalScore: 'nps_last_score',
    lastRelationalCategory: 'nps_last_category',
    lastRelationalDate: 'nps_last_response_date',
    lastRelationalComment: 'nps_last_comment',
    lastTransactionalScore: 'support_nps_last_score',
    lastTransactionalCategory: 'support_nps_last_category',
    lastTransactionalDate: 'support_nps_last_date',
    lastTransactionalComment: 'support_nps_last_comment',
  },
} as const;
