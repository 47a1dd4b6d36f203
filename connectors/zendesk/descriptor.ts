/**
 * Zendesk Support as data: where it lives, how it signs in and signs webhooks, its page size and
 * rate budgets. Every fact is quoted from /work/shared/docs/vendor-apis.md (§3 Zendesk, §4 minimum
 * API calls) unless the comment says it is our own choice.
 */

import { OWN_TICKET_TAG } from '../core/src/helpdesk-connector';

export const zendeskDescriptor = {
  kind: 'zendesk',
  label: 'Zendesk',
  /** §3 "Auth"/node-zendesk: the core API lives at https://{subdomain}.zendesk.com/api/v2. */
  baseUrlTemplate: 'https://{subdomain}.zendesk.com',
  /** §3 "Auth": node-zendesk's core endpoint path, appended to the base URL (endpointUri). */
  apiPath: '/api/v2',

  /** §3 "Auth": API token → Basic base64("{email}/token:{api_token}"); OAuth → Bearer. */
  apiTokenUserSuffix: '/token',

  /** §3 "Incremental export": cursor flow on this path, start_time first, then cursor. */
  exportPath: ['incremental', 'tickets', 'cursor'],
  /** §3 "Incremental export": up to 1,000 tickets per page. */
  exportPageSize: 1000,
  /** §3 "Incremental export": 10 requests per minute (30 with High Volume). */
  exportRequestsPerMinute: 10,
  /** §3 "Incremental export": the export excludes changes from the last minute. */
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

  /** §3 "Rate limits": Suite Growth/Professional 400 req/min; our default plan. */
  requestsPerMinute: 400,
  /** §3 "Rate limits": Enterprise Plus / High Volume 2,500 req/min, the highest plan limit. */
  maxRequestsPerMinute: 2500,
  /** §3 "Rate limits": X-Rate-Limit / X-Rate-Limit-Remaining on responses (lower-cased). */
  rateLimitHeader: 'x-rate-limit',
  rateLimitRemainingHeader: 'x-rate-limit-remaining',
  /**
   * Not in vendor-apis.md: Zendesk documents no server-side timeout. Our bound for one request to
   * be fully answered (an export page of 1,000 tickets included), so a stalled body never holds a worker.
   */
  requestTimeoutMs: 2 * 60_000,

  /** Not in vendor-apis.md: Zendesk's show_many references accept up to 100 ids per call. */
  showManyBatchSize: 100,

  /** §3 "Webhook signature": signature and timestamp headers (Node lower-cases header names). */
  signatureHeader: 'x-zendesk-webhook-signature',
  signatureTimestampHeader: 'x-zendesk-webhook-signature-timestamp',
  /** Zendesk's per-delivery id header; a redelivery of the same invocation repeats it. */
  invocationIdHeader: 'x-zendesk-webhook-invocation-id',
  /** §3 "Webhook signature": base64(HMAC_SHA256(secret, TIMESTAMP + BODY)). */
  signatureAlgorithm: 'sha256',
  /** Our own choice, as HubSpot's §2 rule: a signed call older (or newer) than 5 minutes is refused. */
  signatureFreshnessMs: 5 * 60_000,

  /** §3 "Solved events": webhooks for triggers subscribe to conditional ticket events. */
  webhookSubscription: 'conditional_ticket_events',
  /** §3 "Trigger action": notification_webhook with [webhook id, JSON body]. */
  webhookAction: 'notification_webhook',
  /** §3 "Changed to solved" condition (operator "value" means "changed to"; UNCONFIRMED there). */
  solvedCondition: { field: 'status', operator: 'value', value: 'solved' },
  /**
   * Zendesk's conditions reference: `current_tags` with `includes` / `not_includes` and a
   * space-separated list of tags (not_includes: the ticket has none of them). Our own follow-up
   * and task tickets carry ownTicketTag, so solving them never asks for a survey.
   */
  notOwnTicketCondition: { field: 'current_tags', operator: 'not_includes', value: OWN_TICKET_TAG },

  /** §3 "Tickets": the status categories, whatever custom statuses an account defines. */
  statuses: ['new', 'open', 'pending', 'hold', 'solved', 'closed'],

  /** Our own names for what setup creates, so a second run finds and reuses them. */
  webhookName: 'nps-bridge: ticket solved',
  triggerTitle: 'nps-bridge: send an NPS survey when a ticket is solved',
  ownTicketTag: OWN_TICKET_TAG,

  /**
   * Zendesk's Ticketing API introduction, "Idempotency" (not in vendor-apis.md): a ticket create
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

export type ZendeskDescriptor = typeof zendeskDescriptor;
