import { hubspotSandboxKit } from './hubspot/kit';
import { SandboxKit } from './kit/sandbox';
import { salesforceSandboxKit } from './salesforce/kit';
import { zendeskSandboxKit } from './zendesk/kit';

/** Vendor sandboxes the all-in-one default serves under /sandbox/<kind>, by kind: one line per vendor. */
export const SANDBOX_KITS: Record<string, SandboxKit> = {
  salesforce: salesforceSandboxKit,
  hubspot: hubspotSandboxKit,
  zendesk: zendeskSandboxKit,
};
