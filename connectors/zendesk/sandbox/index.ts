export { createZendeskSandbox, SANDBOX_DEFAULTS, ZendeskSandbox } from './zendesk-sandbox';
export type { ZendeskSandboxOptions } from './zendesk-sandbox';
export type { FaultKind, SandboxMutation } from './sandbox-mutations';
export type { KnownRequester } from './sandbox-seed';
export type { SandboxComment, SandboxTicket, SandboxTicketStatus } from './sandbox-records';
export type { WebhookCall } from './sandbox-webhooks';
export type { WriteCall } from './sandbox-writes';
export type { SandboxTicketField } from './sandbox-records';
