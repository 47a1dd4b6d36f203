import { createHubSpotSandbox, HubSpotSandbox } from './hubspot-sandbox';
import { SandboxCompany, SandboxContact, SandboxLink, SandboxOwner } from './sandbox-data';
import { SandboxHistoryEntry } from './sandbox-history';
import { SandboxObjectType } from './sandbox-objects';
import { SandboxGroup, SandboxProperty } from './sandbox-schema';
import { SandboxTask } from './sandbox-tasks';
import { HubSpotSandboxOptions } from './sandbox-types';

/** Bump when the shape below or the meaning of a stored record changes: an older file is then not read. */
export const HUBSPOT_STATE_VERSION = 2;

type PerType<T> = Record<SandboxObjectType, T>;

/**
 * The portal as it stands: records (archived ones too), associations, the values of properties
 * the records have no field for (the nps_bridge ones among them), the property definitions and
 * groups (those setup created), the property histories (ARR history drives the activity axis),
 * and the tasks created for CSMs.
 */
export interface HubSpotSandboxState {
  companies: SandboxCompany[];
  contacts: SandboxContact[];
  owners: SandboxOwner[];
  links: SandboxLink[];
  custom: PerType<Array<[id: string, values: Record<string, string>]>>;
  history: PerType<Array<[id: string, properties: Record<string, SandboxHistoryEntry[]>]>>;
  properties: PerType<SandboxProperty[]>;
  groups: PerType<SandboxGroup[]>;
  tasks: SandboxTask[];
  /** Refresh tokens issued through the OAuth consent page (absent in files written before it). */
  refreshTokens?: string[];
}

const TYPES: SandboxObjectType[] = ['companies', 'contacts'];
const perType = <T>(make: (type: SandboxObjectType) => T): PerType<T> => ({ companies: make('companies'), contacts: make('contacts') });

export function hubspotSandboxState(sandbox: HubSpotSandbox): HubSpotSandboxState {
  const { portal, schema } = sandbox;
  return {
    companies: portal.companies,
    contacts: portal.contacts,
    owners: portal.owners,
    links: [...portal.linksByCompany.values()].flat(),
    custom: perType((type) => [...portal.custom[type].entries()]),
    history: perType((type) => [...portal.history[type].entries()]),
    properties: perType((type) => schema.properties(type)),
    groups: perType((type) => schema.groups(type)),
    tasks: sandbox.taskStore.all,
    refreshTokens: sandbox.oauthRefreshTokens(),
  };
}

/** A sandbox holding the saved portal instead of a generated one. */
export function restoreHubSpotSandbox(state: HubSpotSandboxState, options: HubSpotSandboxOptions): HubSpotSandbox {
  const sandbox = createHubSpotSandbox({ ...options, companies: 0, owners: 0, archivedOwners: 0, npsFields: false });
  const { portal, schema } = sandbox;
  for (const company of state.companies) portal.addCompany(company);
  for (const contact of state.contacts) portal.addContact(contact);
  portal.owners.push(...state.owners);
  for (const link of state.links) portal.link(link);
  for (const type of TYPES) {
    for (const [id, values] of state.custom[type]) portal.custom[type].set(id, values);
    for (const [id, properties] of state.history[type]) portal.history[type].set(id, properties);
    for (const group of state.groups[type]) schema.addGroup(type, group);
    for (const property of state.properties[type]) schema.add(type, property);
  }
  sandbox.taskStore.restore(state.tasks);
  sandbox.restoreOAuthRefreshTokens(state.refreshTokens ?? []);
  return sandbox;
}
