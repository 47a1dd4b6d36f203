export { createHubSpotSandbox, HubSpotSandbox, SANDBOX_OAUTH_CLIENT, SANDBOX_PRIVATE_APP_TOKEN } from './hubspot-sandbox';
export type { HubSpotSandboxCounts, HubSpotSandboxMutation, HubSpotSandboxOptions } from './hubspot-sandbox';
export type { SandboxOAuthClient } from './sandbox-auth';
export type { RelabeledAssociation } from './sandbox-mutations';
export { SANDBOX_LABELS } from './sandbox-data';
export type { SandboxTask } from './sandbox-writes';
