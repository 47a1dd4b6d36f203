import { HelpdeskConnectorFactory } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { zendeskId } from './ticket-writes';
import { ZendeskConnector } from './zendesk-connector';
import { ZendeskCredentials } from './zendesk-credentials';
import { withDefaults, ZendeskSettings } from './zendesk-settings';
import { zendeskWebhookVerifier } from './zendesk-webhook-verifier';

/** How the registry knows Zendesk (one line in connectors/core/registry.ts). */
export const zendeskConnector: HelpdeskConnectorFactory<ZendeskCredentials, ZendeskSettings> = {
  kind: zendeskDescriptor.kind,
  role: 'helpdesk',
  label: zendeskDescriptor.label,
  credentialsClass: ZendeskCredentials,
  settingsClass: ZendeskSettings,
  withDefaults,
  create: (context) => new ZendeskConnector(context),
  webhookVerifier: zendeskWebhookVerifier,
  // Zendesk field ids are numbers; the port hands them over as opaque strings.
  withScoreField: (stored, scoreFieldId) => ({ ...stored, npsScoreFieldId: zendeskId(scoreFieldId, 'scoreFieldId') }),
};

export { zendeskDescriptor } from '../descriptor';
export { ZendeskConnector } from './zendesk-connector';
export { ZENDESK_AUTH_TYPES, ZendeskCredentials } from './zendesk-credentials';
export type { ZendeskAuthType } from './zendesk-credentials';
export { withDefaults, ZendeskSettings } from './zendesk-settings';
export type { ZendeskSettingsInput } from './zendesk-settings';
export { ZendeskWebhookVerifier, zendeskSignature, zendeskWebhookVerifier } from './zendesk-webhook-verifier';
export { TICKET_SOLVED_BODY, ticketSolvedBodyTemplate } from './map-webhook-payload';
export type { NewTicket, TicketUpdate, WriteBackResult } from './ticket-writes';
export { OUTCOME_UNKNOWN } from '@connectors/core/src';
