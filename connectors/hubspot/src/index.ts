import { CrmConnectorFactory } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotConnector } from './hubspot-connector';
import { HubSpotCredentials } from './hubspot-credentials';
import { HubSpotSettings, withDefaults } from './hubspot-settings';

/** How the registry knows HubSpot (one line in connectors/core/registry.ts). */
export const hubspotConnector: CrmConnectorFactory<HubSpotCredentials, HubSpotSettings> = {
  kind: hubspotDescriptor.kind,
  role: 'crm',
  label: hubspotDescriptor.label,
  credentialsClass: HubSpotCredentials,
  settingsClass: HubSpotSettings,
  withDefaults,
  create: (context) => new HubSpotConnector(context),
  npsFieldNames: hubspotDescriptor.npsFieldNames,
};

export { hubspotDescriptor } from '../descriptor';
export { HubSpotConnector } from './hubspot-connector';
export { HubSpotCredentials } from './hubspot-credentials';
export { WRITE_ERROR } from './batch-writes';
export type { HubSpotAuthType } from './hubspot-credentials';
export { DEFAULT_FIELD_MAPPING, DEFAULT_RATE_LIMIT, HubSpotFieldMapping, HubSpotRateLimit, HubSpotSettings, withDefaults } from './hubspot-settings';
export type { HubSpotSettingsInput } from './hubspot-settings';
