import { CrmConnectorFactory } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { SalesforceConnector } from './salesforce-connector';
import { SalesforceCredentials } from './salesforce-credentials';
import { salesforceOAuth } from './salesforce-oauth';
import { SalesforceSettings, withDefaults } from './salesforce-settings';

/** How the registry knows Salesforce (one line in connectors/core/registry.ts). */
export const salesforceConnector: CrmConnectorFactory<SalesforceCredentials, SalesforceSettings> = {
  kind: salesforceDescriptor.kind,
  role: 'crm',
  label: salesforceDescriptor.label,
  credentialsClass: SalesforceCredentials,
  settingsClass: SalesforceSettings,
  withDefaults,
  create: (context) => new SalesforceConnector(context),
  npsFieldNames: salesforceDescriptor.npsFieldNames,
  oauth: salesforceOAuth,
};

export { SalesforceConnector } from './salesforce-connector';
export { SalesforceCredentials } from './salesforce-credentials';
export { SalesforceSettings } from './salesforce-settings';
