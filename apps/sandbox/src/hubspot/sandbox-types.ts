import { SandboxOAuthClient } from './sandbox-auth';

export interface HubSpotSandboxOptions {
  /** Companies in the portal (default 200). */
  companies?: number;
  contactsPerCompany?: number;
  /** Active owners (default 25); `archivedOwners` (default 3) are deactivated users. */
  owners?: number;
  archivedOwners?: number;
  seed?: number;
  /** Delay before every API answer, to imitate the network (default 0). */
  latencyMs?: number;
  /** Rolling 10-second budget per token (default 190, HubSpot Pro/Enterprise). */
  requestsPer10s?: number;
  /** Search requests per rolling second per token (default 4). */
  searchPerSecond?: number;
  dailyLimit?: number;
  privateAppToken?: string;
  oauth?: Partial<SandboxOAuthClient>;
  accessTokenTtlSeconds?: number;
  /** Associations per record in one v4 batch answer before `paging` (default 500). */
  associationPageSize?: number;
  /** Company properties this portal lacks (e.g. ['arr']), to exercise testConnection. */
  missingProperties?: string[];
  /** The rules §8 properties and their nps_bridge group exist from the start, as if setup had run (benchmarks). Default false. */
  npsFields?: boolean;
  /** false: the app lacks crm.schemas.*.write, so creating groups and properties answers 403 MISSING_SCOPES. Default true. */
  propertyAccess?: boolean;
}

export type HubSpotSandboxMutation =
  | { action: 'changeCompanies' | 'changeContacts' | 'relabelAssociations' | 'archiveCompanies' | 'archiveContacts'; count: number }
  | { action: 'failNext'; count: number; kind: 503 | 429 }
  | { action: 'failAfterWrite'; count: number }
  | { action: 'outage'; on: boolean }
  | { action: 'setPropertyAccess'; allowed: boolean }
  | { action: 'completeTask'; id: string }
  | { action: 'expireTokens' | 'revokeRefreshTokens' | 'resetCalls' };

export interface HubSpotSandboxCounts {
  companies: number;
  contacts: number;
  owners: number;
  archivedOwners: number;
  /** Live contact–company associations. */
  associations: number;
  archivedCompanies: number;
  archivedContacts: number;
}

/** One write request the sandbox received (creates, updates, property definitions), in order. */
export interface SandboxWriteCall {
  method: string;
  path: string;
  /** Size of `inputs` for batch endpoints; null for single writes. */
  inputs: number | null;
  /** What the sandbox answered (201, 207, 400, 403, 429, 503, …). */
  status: number;
}
