import { ApiUsage, ConnectionTestResult } from './crm-connector';
import { CredentialRenewal, OAuthApp } from './oauth-app';
import { SharedRateBudget } from './rate-limiter';
import { Sleep } from './retry-policy';

/** Ticket statuses as helpdesks name them: the status categories, whatever custom statuses an account defines. */
export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';

/**
 * The tag on every ticket nps-bridge creates in a helpdesk (task and follow-up tickets), so they
 * are told apart from customers' tickets: never surveyed, and read back to close the loop.
 */
export const OWN_TICKET_TAG = 'nps_bridge';

/** A ticket as the survey planner needs it, whatever the helpdesk. */
export interface HelpdeskTicket {
  externalId: string;
  status: TicketStatus;
  subject: string | null;
  requesterExternalId: string | null;
  requesterEmail: string | null;
  requesterName: string | null;
  /** The helpdesk organization's own id. */
  organizationExternalId: string | null;
  /** The organization's link to the CRM account (the CRM account id the helpdesk keeps on it). */
  organizationCrmAccountId: string | null;
  /** The group of the agent who solved it (detractor task tickets go there). */
  groupExternalId: string | null;
  assigneeExternalId: string | null;
  /** When it became solved, if it is solved or closed and the helpdesk says. */
  solvedAt: string | null;
  updatedAt: string;
  /** The ticket's tags; tickets nps-bridge created carry OWN_TICKET_TAG. */
  tags: string[];
}

/** A verified webhook call about one ticket. */
export interface HelpdeskTicketEvent {
  /** Unique per delivery (the vendor's invocation id), so a repeat is recognised. */
  deliveryId: string;
  /**
   * A hash of exactly what was signed (timestamp and body): a replay repeats it whatever its
   * unsigned headers (the invocation id among them) say.
   */
  contentKey: string;
  ticket: HelpdeskTicket;
}

export interface TicketChangesPage {
  tickets: HelpdeskTicket[];
  /** Commit with the page; resume from it. */
  cursor: string;
  endOfStream: boolean;
}

/** What the setup command created in the helpdesk, by the helpdesk's own (opaque) ids. */
export interface HelpdeskSetupResult {
  /** The webhook that calls this service. */
  webhookId: string;
  /** The helpdesk rule that calls the webhook when a ticket changes to solved. */
  ruleId: string;
  /** The webhook's signing secret, to be stored encrypted with the connection. */
  signingSecret: string;
}

export interface TicketUpdate {
  /** The NPS score, for the connection's score field (ensureScoreField); left out where it has none. */
  score?: number;
  /** Added to the ticket's tags, never replacing them. */
  tags?: string[];
  /** An internal note agents see and the requester does not. */
  privateNote?: string;
}

export interface NewTicket {
  subject: string;
  /** The first comment, private. */
  body: string;
  type: 'task' | 'question';
  dueAt?: Date | string;
  groupId?: string;
  requesterId?: string;
  tags?: string[];
  /** The NPS score, for the connection's score field; left out where it has none. */
  score?: number;
  /** Creates it as a follow-up of this (closed) ticket. */
  followUpOf?: string;
  /** Our key, stored on the ticket (its external id): how a create whose outcome was unknown is found again. */
  externalId?: string;
}

/** Where a write-back landed: the ticket itself, or a follow-up of the closed ticket. */
export interface WriteBackResult {
  ticketId: string;
  /** The closed ticket it follows up, when the helpdesk refused to update it. */
  followUpOf: string | null;
}

/** The helpdesk custom field that receives transactional scores. */
export interface ScoreFieldSetup {
  /** The helpdesk's id of the field, opaque to us (the connector converts). */
  id: string;
  created: boolean;
}

export interface HelpdeskConnector {
  testConnection(): Promise<ConnectionTestResult>;
  /** Tickets changed since the cursor (null: since `startTime`), page by page. */
  readTicketChanges(options: { cursor: string | null; startTime: Date; signal?: AbortSignal }): AsyncIterable<TicketChangesPage>;
  /**
   * The tickets as the helpdesk has them now (deleted ones left out), solvedAt to the second:
   * where a webhook's solve time comes from, since its placeholders may carry only minutes.
   */
  readTickets(externalIds: string[], signal?: AbortSignal): Promise<HelpdeskTicket[]>;
  /** Creates (or reuses) the webhook and the "status changed to solved" rule that calls it. */
  setup(webhookUrl: string): Promise<HelpdeskSetupResult>;
  /** Score (in the connection's score field), tags (added, never replacing) and a private note on a ticket. */
  updateTicket(ticketId: string, update: TicketUpdate): Promise<void>;
  /** Returns the new ticket's id. */
  createTicket(ticket: NewTicket): Promise<string>;
  /**
   * updateTicket, or, when the helpdesk refuses because the ticket is closed, a follow-up ticket
   * carrying the same score, tags and note (created with `externalId` when given).
   */
  writeBackToTicket(
    ticketId: string,
    update: TicketUpdate & { privateNote: string },
    options?: {
      followUpSubject?: string;
      externalId?: string;
      /** An earlier attempt may have written it: look for the note on the ticket before writing again. */
      mayHaveLanded?: boolean;
    },
  ): Promise<WriteBackResult>;
  /** Ids of the tickets created with this external id (oldest first). */
  findTicketsByExternalId(externalId: string): Promise<string[]>;
  /** Finds or creates the number field that receives NPS scores; store it with withScoreField. */
  ensureScoreField(): Promise<ScoreFieldSetup>;
  apiCalls(): number;
  apiUsage(): ApiUsage | undefined;
}

/** Checks a webhook call's signature and freshness, then reads it; throws WebhookRejected. */
export interface HelpdeskWebhookVerifier {
  verify(input: { rawBody: Buffer; headers: Record<string, string | string[] | undefined>; signingSecret: string; now: Date }): HelpdeskTicketEvent;
}

export class WebhookRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookRejected';
  }
}

/** Correctly signed, but its body or headers cannot be taken (a 400): the message names the field. */
export class WebhookPayloadRejected extends WebhookRejected {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookPayloadRejected';
  }
}

export interface HelpdeskConnectorContext<C = unknown, S = unknown> {
  credentials: C;
  settings: S;
  /** Called when the connector obtained new tokens (OAuth refresh) and no renewCredentials was given. */
  onCredentialsRefreshed?: (credentials: C) => Promise<void>;
  /** Renews OAuth tokens once across every process and stores them encrypted (see ConnectorContext). */
  renewCredentials?: CredentialRenewal<C>;
  sleep?: Sleep;
  /** How long one request may take to be fully answered before it counts as failed (tests shorten it). */
  requestTimeoutMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** The connection's share of the rate budget every process counts in; without it the connector counts alone. */
  rateBudget?: SharedRateBudget;
}

export interface HelpdeskConnectorFactory<C extends object = object, S extends object = object> {
  kind: string;
  role: 'helpdesk';
  label: string;
  credentialsClass: new () => C;
  settingsClass: new () => S;
  withDefaults(settings: Partial<S> | undefined): S;
  create(context: HelpdeskConnectorContext<C, S>): HelpdeskConnector;
  webhookVerifier: HelpdeskWebhookVerifier;
  /**
   * A connection's stored settings with the score field setup found or created, so its
   * connector writes scores there. Throws when the id is not one this helpdesk issues.
   */
  withScoreField(stored: Record<string, unknown>, scoreFieldId: string): Record<string, unknown>;
  /** The OAuth authorization code flow ("bring your own OAuth app"), when the vendor offers one. */
  oauth?: OAuthApp;
}
