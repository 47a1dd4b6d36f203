export { createSalesforceSandbox, SalesforceSandbox } from './salesforce-sandbox';
export type { SalesforceSandboxOptions, SandboxAction, SandboxControlState, SandboxFault, SandboxMutation, SandboxWriteCall } from './salesforce-sandbox';
export type { MetadataAccess } from './sandbox-permissions';
export type { ChangeResult, SandboxChanges } from './sandbox-mutations';
export type { SandboxCounts } from './sandbox-store';
export { salesforceId } from './salesforce-ids';
