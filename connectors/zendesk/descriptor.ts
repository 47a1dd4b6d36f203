/**
 * Zendesk Support as data: where it lives, how it signs in and signs webhooks, its page size and
 * rate budgets. Each comment names the section of connectors/zendesk/README.md (README "…") that
 * states the vendor fact, unless it says the value is our own choice.
 */

import { OWN_TICKET_TAG } from '@connectors/core/src/helpdesk-connector';
import type { RetryFacts } from '@connectors/core/src/retry-policy';
import type { UsageHeaders } from '@connectors/core/src/vendor-failure';

export const zendeskDescriptor = {
  kind: 'zendesk',
  label: 'Zendesk',
  /** README "Base URL": the core API lives at https://{subdomain}.zendesk.com/api/v2. */
  baseUrlTemplate: 'https://{subdomain}.zendesk.com',
  /** README "Base URL": node-zendesk's core endpoint path, appended to the base URL (endpointUri). */
  apiPath: '/api/v2',

  /** README "Signing in": API token → Basic base64("{email}/token:{api_token}"); OAuth → Bearer. */
  apiTokenUserSuffix: '/token',

  /** README "OAuth": where the admin approves an OAuth client (the authorization code grant). */
  authorizePath: '/oauth/authorizations/new',
  /** README "OAuth": the token endpoint for the authorization_code and refresh_token grants (JSON body). */
  tokenPath: '/oauth/tokens',
  /** README "OAuth": scopes are space-separated; nps-bridge reads and writes tickets, users, fields, webhooks and triggers. */
  oauthScopes: ['read', 'write'],
  /**
   * README "OAuth": the access token's lifetime we ask for (expires_in, 300 s to 172,800 s; Zendesk's
   * default is 30 minutes). Asking for one also makes OAuth clients older than refresh tokens issue one.
   */
  oauthAccessTokenSeconds: 1800,
  /** Our own margin: an access token is renewed this long before it expires. */
  tokenRefreshMarginMs: 60_000,

  /** README "Incremental export": cursor flow on this path, start_time first, then cursor. */
  exportPath: ['incremental', 'tickets', 'cursor'],
  /** README "Incremental export": up to 1,000 tickets per page. */
  exportPageSize: 1000,
  /** README "Incremental export": 10 requests per minute (30 with High Volume). */
  exportRequestsPerMinute: 10,
  /** README "Incremental export": the export excludes changes from the last minute. */
  exportSettleMs: 60_000,
  /**
   * Ticket sideloads on the cursor export (Zendesk's export reference: "See Tickets sideloads",
   * all but last_audits). Requester emails and organization external ids come with the page.
   */
  exportSideloads: ['users', 'organizations'],
  /**
   * Sideloads when tickets are read by id (show_many): requesters, organizations, and the ticket
   * metric set (Zendesk's ticket sideloads: `metric_sets` attaches `metric_set` to each ticket),
   * whose `solved_at` is the solve time to the second. A webhook's {{ticket.updated_at_with_timestamp}}
   * carries minutes only (Zendesk's placeholders reference: "2013-12-12T05:35Z").
   */
  ticketSideloads: ['users', 'organizations', 'metric_sets'],

  /** README "Rate limits": Suite Growth/Professional 400 req/min; our default plan. */
  requestsPerMinute: 400,
  /** README "Rate limits": Enterprise Plus / High Volume 2,500 req/min, the highest plan limit. */
  maxRequestsPerMinute: 2500,
  /** README "Rate limits": X-Rate-Limit / X-Rate-Limit-Remaining on responses (lower-cased). */
  usageHeaders: { limit: 'x-rate-limit', remaining: 'x-rate-limit-remaining' } satisfies UsageHeaders,
  /**
   * README "Rate limits": 429 with Retry-After in seconds (the export says the same, "Honour
   * Retry-After"), for core's retry policy; our backoff otherwise.
   */
  retry: { retryAfterHeaders: ['retry-after'] } satisfies RetryFacts,
  /**
   * README "Rate limits": Zendesk documents no server-side timeout. Our bound for one request to
   * be fully answered (an export page of 1,000 tickets included), so a stalled body never holds a worker.
   */
  requestTimeoutMs: 2 * 60_000,

  /** README "Reading tickets by id": show_many accepts up to 100 ids per call. */
  showManyBatchSize: 100,

  /** README "Webhook signature": signature and timestamp headers (Node lower-cases header names). */
  signatureHeader: 'x-zendesk-webhook-signature',
  signatureTimestampHeader: 'x-zendesk-webhook-signature-timestamp',
  /** Zendesk's per-delivery id header; a redelivery of the same invocation repeats it. */
  invocationIdHeader: 'x-zendesk-webhook-invocation-id',
  /** README "Webhook signature": base64(HMAC_SHA256(secret, TIMESTAMP + BODY)). */
  signatureAlgorithm: 'sha256',
  /** Our own choice (README "Webhook signature"), the window HubSpot uses for its signatures: a signed call older (or newer) than 5 minutes is refused. */
  signatureFreshnessMs: 5 * 60_000,

  /** README "Trigger": webhooks for triggers subscribe to conditional ticket events. */
  webhookSubscription: 'conditional_ticket_events',
  /** README "Trigger": notification_webhook with [webhook id, JSON body]. */
  webhookAction: 'notification_webhook',
  /** README "Trigger": the "changed to solved" condition (operator "value" means "changed to"; from public examples). */
  solvedCondition: { field: 'status', operator: 'value', value: 'solved' },
  /**
   * Zendesk's conditions reference: `current_tags` with `includes` / `not_includes` and a
   * space-separated list of tags (not_includes: the ticket has none of them). Our own follow-up
   * and task tickets carry ownTicketTag, so solving them never asks for a survey.
   */
  notOwnTicketCondition: { field: 'current_tags', operator: 'not_includes', value: OWN_TICKET_TAG },

  /** README "Tickets": the status categories, whatever custom statuses an account defines. */
  statuses: ['new', 'open', 'pending', 'hold', 'solved', 'closed'],

  /** Our own names for what setup creates, so a second run finds and reuses them. */
  webhookName: 'nps-bridge: ticket solved',
  triggerTitle: 'nps-bridge: send an NPS survey when a ticket is solved',
  ownTicketTag: OWN_TICKET_TAG,

  /**
   * README "Idempotency" (Zendesk's Ticketing API introduction): a ticket create
   * sent with this header "can be retried without the risk of creating duplicate records"; the
   * first answer carries x-idempotency-lookup: miss. That a replay answers "hit", that a key
   * reused with other parameters is refused and that keys are kept two hours is how we read the
   * rest of that page: UNCONFIRMED, which is why an ambiguous create is also looked for by
   * external_id before it is sent again.
   */
  idempotencyKeyHeader: 'Idempotency-Key',
  /** Our namespace for idempotency keys derived from our external ids. */
  idempotencyKeyPrefix: 'nps-bridge:',

  /**
   * The custom ticket field that receives transactional scores (Zendesk's Ticket Fields API:
   * type and title are mandatory; an `integer` field holds whole numbers). Matched by type and
   * title, so a second setup run finds the field the first one made.
   */
  scoreField: {
    type: 'integer',
    title: 'NPS score',
    description: 'The 0–10 answer to the NPS survey sent after this ticket was solved.',
    agentDescription: 'Written by nps-bridge when the requester answers its NPS survey; the tag and private note carry the same answer.',
  },
} as const;
