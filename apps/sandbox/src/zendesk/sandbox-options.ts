import { KnownRequester } from './sandbox-seed';

export interface ZendeskSandboxOptions {
  /** Same seed, same account (default 1). */
  seed?: number;
  /** Base URL written into after_url and ticket urls; default http://{Host header}. */
  publicUrl?: string;
  /** The admin whose email goes with the API token (default admin@acme.test). */
  adminEmail?: string;
  /** The accepted API token, as `{email}/token:{apiToken}` (default sandbox-api-token). */
  apiToken?: string;
  /** The accepted OAuth access token (default sandbox-oauth-token). */
  oauthToken?: string;
  /** The OAuth client of the authorization code flow (default SANDBOX_DEFAULTS' oauthClientId and oauthClientSecret). */
  oauthClient?: { clientId: string; clientSecret: string };
  /** CRM account ids: one organization each, with external_id = the id. */
  accountExternalIds?: string[];
  /** Organizations without a CRM link (default 3). */
  unlinkedOrganizations?: number;
  /** End users the CRM knows (same emails), placed in their account's organization. */
  knownRequesters?: KnownRequester[];
  /** Generated end users (default 40) and tickets (default 60, some solved or closed). */
  users?: number;
  tickets?: number;
  /** The custom ticket field for the NPS score (default 360000000001, type integer). */
  npsScoreFieldId?: number;
  /** Delay before each API answer. */
  latencyMs?: number;
  /** Per token, per rolling minute (defaults 400 and 10, like Zendesk). */
  requestsPerMinute?: number;
  exportRequestsPerMinute?: number;
  /** Tickets per export page (default 1,000). */
  exportPageSize?: number;
  /** Leave the last minute out of exports, like Zendesk (default true). */
  excludeLastMinute?: boolean;
  /** Drop every webhook call (missed deliveries only reconciliation catches). */
  dropWebhooks?: boolean;
  /** Attempts per webhook call on 5xx or no connection (default 3), spaced by n × this delay (default 100 ms). */
  webhookAttempts?: number;
  webhookRetryDelayMs?: number;
  /** The sandbox's clock; default real time plus advanceClock(). */
  now?: () => number;
  /**
   * A JSON file that keeps the sandbox's state across restarts (ZendeskSandboxState): read at
   * start (when it exists, the seed is not used), written a moment after each change and on
   * flush(). Unset: in memory only.
   */
  stateFile?: string;
}

export const SANDBOX_DEFAULTS = {
  adminEmail: 'admin@acme.test',
  apiToken: 'sandbox-api-token',
  oauthToken: 'sandbox-oauth-token',
  oauthClientId: 'nps_bridge_sandbox',
  oauthClientSecret: 'sandbox-oauth-client-secret',
  npsScoreFieldId: 360000000001,
} as const;
