import {
  ApiUsage,
  ConnectionTestResult,
  HelpdeskConnector,
  HelpdeskConnectorContext,
  HelpdeskSetupResult,
  HelpdeskTicket,
  ScoreFieldSetup,
  TicketChangesPage,
  WriteBackResult,
} from '@connectors/core/src';
import { checkConnection } from './connection-check';
import { readTicketChanges } from './ticket-changes';
import { readTickets } from './ticket-reads';
import { ensureScoreField } from './score-field';
import { ticketIdsByExternalId } from './ticket-lookup';
import { createTicket, NewTicket, TicketUpdate, updateTicket, writeBackToTicket } from './ticket-writes';
import { ZendeskApi } from './zendesk-api';
import { ZendeskCredentials } from './zendesk-credentials';
import { setUpTicketSolvedWebhook } from './zendesk-setup';
import { withDefaults, ZendeskSettings, ZendeskSettingsInput } from './zendesk-settings';

/**
 * Zendesk behind the helpdesk port: solved tickets arrive by a signed webhook (setup creates it
 * and its trigger) and, as a safety net for missed deliveries, by the cursor-based incremental
 * export. The write methods close the loop on tickets: the score, tags and a private note on
 * the solved ticket (a follow-up ticket once it is closed), detractor task tickets, and the
 * score field they need. Writes are never resent blindly (ZendeskApi.writeGuarded).
 */
export class ZendeskConnector implements HelpdeskConnector {
  readonly settings: ZendeskSettings;
  private readonly api: ZendeskApi;

  constructor(context: HelpdeskConnectorContext<ZendeskCredentials, ZendeskSettings | ZendeskSettingsInput>) {
    this.settings = withDefaults(context.settings);
    this.api = new ZendeskApi(context.credentials, this.settings, {
      sleep: context.sleep,
      log: context.log,
      requestTimeoutMs: context.requestTimeoutMs,
      rateBudget: context.rateBudget,
      onCredentialsRefreshed: context.onCredentialsRefreshed,
      renewCredentials: context.renewCredentials,
    });
  }

  testConnection(): Promise<ConnectionTestResult> {
    return checkConnection(this.api, this.settings);
  }

  readTicketChanges(options: { cursor: string | null; startTime: Date; signal?: AbortSignal }): AsyncIterable<TicketChangesPage> {
    return readTicketChanges(this.api, options);
  }

  /** GET tickets/show_many with metric sets: the tickets as they are now, solvedAt to the second. */
  readTickets(externalIds: string[], signal?: AbortSignal): Promise<HelpdeskTicket[]> {
    return readTickets(this.api, externalIds, signal);
  }

  setup(webhookUrl: string): Promise<HelpdeskSetupResult> {
    return setUpTicketSolvedWebhook(this.api, webhookUrl);
  }

  /**
   * Update the ticket: tags added through the Tags API, then the score (in settings.npsScoreFieldId,
   * when set) and a private note in one PUT. Throws the 422 for a closed ticket; OUTCOME_UNKNOWN when retries ran out after an
   * answer was lost.
   */
  updateTicket(ticketId: string, update: TicketUpdate): Promise<void> {
    return updateTicket(this.api, ticketId, update, this.settings.npsScoreFieldId);
  }

  /**
   * POST a ticket (first comment private, our nps_bridge tag, external_id = ticket.externalId);
   * resolves to its id. Resends carry the same Idempotency-Key and, after an answer was lost,
   * first look for the external id; OUTCOME_UNKNOWN when retries ran out after that.
   */
  createTicket(ticket: NewTicket): Promise<string> {
    return createTicket(this.api, ticket, this.settings.npsScoreFieldId);
  }

  /** The transactional write-back: on the ticket, or on a follow-up ticket (with options.externalId) when it is closed. */
  writeBackToTicket(
    ticketId: string,
    update: TicketUpdate & { privateNote: string },
    options: { followUpSubject?: string; externalId?: string; mayHaveLanded?: boolean } = {},
  ): Promise<WriteBackResult> {
    return writeBackToTicket(this.api, ticketId, update, options, this.settings.npsScoreFieldId);
  }

  /** GET /api/v2/tickets?external_id=: ids of the tickets carrying this external id, oldest first. */
  findTicketsByExternalId(externalId: string): Promise<string[]> {
    return ticketIdsByExternalId(this.api, externalId);
  }

  /** The active integer ticket field titled "NPS score", found or created. */
  ensureScoreField(): Promise<ScoreFieldSetup> {
    return ensureScoreField(this.api);
  }

  apiCalls(): number {
    return this.api.apiCalls();
  }

  apiUsage(): ApiUsage | undefined {
    return this.api.apiUsage();
  }
}
