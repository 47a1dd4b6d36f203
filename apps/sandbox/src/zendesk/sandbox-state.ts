import { SandboxAutomation } from './sandbox-automation';
import { RefreshTokenEntry, ZendeskOAuthServer } from './sandbox-oauth';
import { SandboxGroup, SandboxOrganization, SandboxTicket, SandboxTicketField, SandboxTrigger, SandboxUser, SandboxWebhook } from './sandbox-records';
import { SandboxData } from './sandbox-seed';
import { SandboxWrites } from './sandbox-writes';
import { SandboxStateFile } from '../kit/sandbox-state-file';

/**
 * Everything the Zendesk sandbox keeps that a restart must not lose: the account's records, the
 * id counters (so a ticket id is never handed out twice: our surveys are keyed by ticket id),
 * the webhooks with their signing secrets, the triggers, and which tickets were created through
 * the API. Not kept: request logs, faults, rate-limit windows, idempotency keys (they expire
 * within hours), the clock offset of tests.
 */
export interface ZendeskSandboxState {
  users: SandboxUser[];
  organizations: SandboxOrganization[];
  groups: SandboxGroup[];
  tickets: SandboxTicket[];
  ticketFields: SandboxTicketField[];
  nextId: SandboxData['nextId'];
  webhooks: SandboxWebhook[];
  triggers: SandboxTrigger[];
  createdTicketIds: number[];
  /** OAuth refresh tokens that still work (absent in files written before OAuth). */
  oauthRefreshTokens?: RefreshTokenEntry[];
}

/** Bumped when ZendeskSandboxState changes shape: a file of another version is not read. */
const ZENDESK_STATE_VERSION = 1;

export interface StatefulParts {
  data: SandboxData;
  automation: SandboxAutomation;
  writes: SandboxWrites;
  oauth?: ZendeskOAuthServer;
}

/** A deep copy of the state, as plain JSON. */
export function snapshotOf({ data, automation, writes, oauth }: StatefulParts): ZendeskSandboxState {
  return structuredClone({
    users: [...data.users.values()],
    organizations: [...data.organizations.values()],
    groups: [...data.groups.values()],
    tickets: [...data.tickets.values()],
    ticketFields: [...data.ticketFields.values()],
    nextId: data.nextId,
    webhooks: [...automation.webhooks.values()],
    triggers: [...automation.triggers.values()],
    createdTicketIds: writes.createdTicketIds,
    ...(oauth ? { oauthRefreshTokens: oauth.refreshTokenEntries() } : {}),
  });
}

function refill<K, V>(map: Map<K, V>, values: V[], key: (value: V) => K): void {
  map.clear();
  for (const value of values) map.set(key(value), value);
}

/** Replaces the sandbox's state with a snapshot (in place: the parts keep their identity). */
export function restoreInto({ data, automation, writes, oauth }: StatefulParts, saved: ZendeskSandboxState): void {
  const state = structuredClone(saved);
  refill(data.users, state.users, (u) => u.id);
  refill(data.organizations, state.organizations, (o) => o.id);
  refill(data.groups, state.groups, (g) => g.id);
  refill(data.tickets, state.tickets, (t) => t.id);
  refill(data.ticketFields, state.ticketFields, (f) => f.id);
  Object.assign(data.nextId, state.nextId);
  refill(automation.webhooks, state.webhooks, (w) => w.id);
  refill(automation.triggers, state.triggers, (t) => t.id);
  writes.createdTicketIds.splice(0, writes.createdTicketIds.length, ...state.createdTicketIds);
  oauth?.restoreRefreshTokens(state.oauthRefreshTokens ?? []);
}

/** The state file of a sandbox given `stateFile`: read at start, written a moment after each change and on flush. */
export function zendeskStateFile(path: string): SandboxStateFile<ZendeskSandboxState> {
  return new SandboxStateFile<ZendeskSandboxState>(path, ZENDESK_STATE_VERSION);
}
