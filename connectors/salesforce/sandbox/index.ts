export { createSalesforceSandbox, SalesforceSandbox } from './salesforce-sandbox';
export type { SalesforceSandboxOptions, SandboxFault, SandboxMutation } from './salesforce-sandbox';
export type { ChangeResult, SandboxChanges } from './sandbox-mutations';
export type { SandboxCounts } from './sandbox-store';
export { salesforceId } from './salesforce-ids';
