export { createHubSpotSandbox, HubSpotSandbox, SANDBOX_OAUTH_CLIENT, SANDBOX_PRIVATE_APP_TOKEN } from './hubspot-sandbox';
export type { HubSpotSandboxCounts, HubSpotSandboxMutation, HubSpotSandboxOptions, SandboxWriteCall } from './hubspot-sandbox';
export type { SandboxOAuthClient } from './sandbox-auth';
export type { RelabeledAssociation } from './sandbox-mutations';
export { SANDBOX_LABELS } from './sandbox-data';
export type { SandboxTask, SandboxTaskView } from './sandbox-tasks';
export type { SandboxProperty, SandboxGroup } from './sandbox-schema';
