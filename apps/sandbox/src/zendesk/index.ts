/**
 * The Zendesk sandbox. Persistence across restarts: give `stateFile` (ZendeskSandboxOptions, or
 * the kit's create option) and the sandbox reads that JSON file at start instead of seeding,
 * writes it a moment after each change (API writes and mutations) and on `flush()`; or take
 * `snapshot()` and hand it to `restore()` yourself. Either way the ticket, comment and trigger id
 * counters continue, and the webhook (with its signing secret), trigger and ticket fields stay.
 */
export { createZendeskSandbox, SANDBOX_DEFAULTS, ZendeskSandbox } from './zendesk-sandbox';
