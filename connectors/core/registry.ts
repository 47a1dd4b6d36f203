/* eslint-disable @typescript-eslint/no-explicit-any -- each vendor's factory is typed by its own DTOs */
import { hubspotConnector } from '@connectors/hubspot/src';
import { salesforceConnector } from '@connectors/salesforce/src';
import { zendeskConnector } from '@connectors/zendesk/src';
import { CrmConnectorFactory } from './src/connector-factory';
import { HelpdeskConnectorFactory } from './src/helpdesk-connector';

/**
 * Every vendor nps-bridge can connect, by kind. Adding a vendor: its folder under connectors/
 * plus one line here. Vendor names appear nowhere else in apps/ or libs/.
 */
export const CRM_CONNECTORS: Record<string, CrmConnectorFactory<any, any>> = {
  salesforce: salesforceConnector,
  hubspot: hubspotConnector,
};

export const HELPDESK_CONNECTORS: Record<string, HelpdeskConnectorFactory<any, any>> = {
  zendesk: zendeskConnector,
};

export function crmConnectorFactory(kind: string): CrmConnectorFactory<any, any> | undefined {
  return Object.prototype.hasOwnProperty.call(CRM_CONNECTORS, kind) ? CRM_CONNECTORS[kind] : undefined;
}

export function helpdeskConnectorFactory(kind: string): HelpdeskConnectorFactory<any, any> | undefined {
  return Object.prototype.hasOwnProperty.call(HELPDESK_CONNECTORS, kind) ? HELPDESK_CONNECTORS[kind] : undefined;
}
