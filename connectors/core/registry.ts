import { CrmConnectorFactory } from './src/connector-factory';
import { HelpdeskConnectorFactory } from './src/helpdesk-connector';

/**
 * Every vendor nps-bridge can connect, by kind. Adding a vendor: its folder under connectors/
 * plus one line here. Vendor names appear nowhere else in apps/ or libs/.
 */
export const CRM_CONNECTORS: Record<string, CrmConnectorFactory> = {};

export const HELPDESK_CONNECTORS: Record<string, HelpdeskConnectorFactory> = {};

export function crmConnectorFactory(kind: string): CrmConnectorFactory | undefined {
  return Object.prototype.hasOwnProperty.call(CRM_CONNECTORS, kind) ? CRM_CONNECTORS[kind] : undefined;
}

export function helpdeskConnectorFactory(kind: string): HelpdeskConnectorFactory | undefined {
  return Object.prototype.hasOwnProperty.call(HELPDESK_CONNECTORS, kind) ? HELPDESK_CONNECTORS[kind] : undefined;
}
