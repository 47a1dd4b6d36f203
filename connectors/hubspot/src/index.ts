import { CrmConnectorFactory } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotConnector } from './hubspot-connector';
import { HubSpotCredentials } from './hubspot-credentials';
import { hubspotOAuth } from './hubspot-oauth';
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
  oauth: hubspotOAuth,
};

export { HubSpotCredentials } from './hubspot-credentials';
export { HubSpotSettings } from './hubspot-settings';
