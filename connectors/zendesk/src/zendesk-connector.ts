import {
  ApiUsage,
  ConnectionTestResult,
  HelpdeskConnector,
  HelpdeskConnectorContext,
  HelpdeskSetupResult,
  TicketChangesPage,
} from '../../core/src';
import { checkConnection } from './connection-check';
import { readTicketChanges } from './ticket-changes';
import { createTicket, NewTicket, TicketUpdate, updateTicket, writeBackToTicket, WriteBackResult } from './ticket-writes';
import { ZendeskApi } from './zendesk-api';
import { ZendeskCredentials } from './zendesk-credentials';
import { setUpTicketSolvedWebhook } from './zendesk-setup';
import { withDefaults, ZendeskSettings, ZendeskSettingsInput } from './zendesk-settings';

/**
 * Zendesk behind the helpdesk port: solved tickets arrive by a signed webhook (setup creates it
 * and its trigger) and, as a safety net for missed deliveries, by the cursor-based incremental
 * export. The write methods close the loop on tickets (the port will gain them).
 */
export class ZendeskConnector implements HelpdeskConnector {
  readonly settings: ZendeskSettings;
  private readonly api: ZendeskApi;

  constructor(context: HelpdeskConnectorContext<ZendeskCredentials, ZendeskSettings | ZendeskSettingsInput>) {
    this.settings = withDefaults(context.settings);
    this.api = new ZendeskApi(context.credentials, this.settings, { sleep: context.sleep, log: context.log });
  }

  testConnection(): Promise<ConnectionTestResult> {
    return checkConnection(this.api, this.settings);
  }

  readTicketChanges(options: { cursor: string | null; startTime: Date; signal?: AbortSignal }): AsyncIterable<TicketChangesPage> {
    return readTicketChanges(this.api, options);
  }

  setup(webhookUrl: string): Promise<HelpdeskSetupResult> {
    return setUpTicketSolvedWebhook(this.api, webhookUrl);
  }

  /** PUT the ticket: custom fields, tags added (additional_tags), a private note. Throws 422 for a closed ticket. */
  updateTicket(ticketId: string, update: TicketUpdate): Promise<void> {
    return updateTicket(this.api, ticketId, update);
  }

  /** POST a ticket whose first comment is private (a detractor task: type task, dueAt, groupId); resolves to its id. */
  createTicket(ticket: NewTicket): Promise<string> {
    return createTicket(this.api, ticket);
  }

  /** The transactional write-back: on the ticket, or on a follow-up ticket when it is closed. */
  writeBackToTicket(ticketId: string, update: TicketUpdate & { privateNote: string }, followUpSubject?: string): Promise<WriteBackResult> {
    return writeBackToTicket(this.api, ticketId, update, followUpSubject);
  }

  apiCalls(): number {
    return this.api.apiCalls();
  }

  apiUsage(): ApiUsage | undefined {
    return this.api.apiUsage();
  }
}
