import { HelpdeskConnectorFactory } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { zendeskId } from './ticket-writes';
import { ZendeskConnector } from './zendesk-connector';
import { ZendeskCredentials } from './zendesk-credentials';
import { zendeskOAuth } from './zendesk-oauth';
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
  oauth: zendeskOAuth,
};

export { ZendeskConnector } from './zendesk-connector';
export { ZendeskCredentials } from './zendesk-credentials';
export { withDefaults, ZendeskSettings } from './zendesk-settings';
export { zendeskWebhookVerifier } from './zendesk-webhook-verifier';
