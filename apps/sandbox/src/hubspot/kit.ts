import { createHubSpotSandbox, HubSpotSandbox, SANDBOX_OAUTH_CLIENT, SANDBOX_PRIVATE_APP_TOKEN } from './hubspot-sandbox';
import { HUBSPOT_STATE_VERSION, HubSpotSandboxState, hubspotSandboxState, restoreHubSpotSandbox } from './sandbox-state';
import { hubspotRecords } from './sandbox-views';
import { keepSandboxState, SandboxStateFile } from '../kit/sandbox-state-file';
import { SandboxKit, SandboxPerson } from '../kit/sandbox';

/** Demo data size: enough for every segment and quadrant to show, small enough to sync in seconds. */
const DEMO_COMPANIES = 300;

/** People of the demo portal, each with their primary company, for the helpdesk sandbox's tickets. */
function people(sandbox: HubSpotSandbox, limit: number): SandboxPerson[] {
  const { portal } = sandbox;
  const result: SandboxPerson[] = [];
  for (const contact of portal.contacts) {
    if (result.length >= limit) break;
    const link = (portal.linksByContact.get(contact.id) ?? []).find((l) => l.primary);
    if (!link || contact.archivedMs !== null) continue;
    result.push({ email: contact.email, name: `${contact.firstName} ${contact.lastName}`, accountExternalId: link.companyId });
  }
  return result;
}

export const hubspotSandboxKit: SandboxKit = {
  kind: 'hubspot',
  role: 'crm',
  imitates: 'the HubSpot CRM API (companies, contacts, association labels, owners, search, properties, tasks, batch writes, rate limits)',
  create: ({ stateFile }) => {
    const options = { companies: DEMO_COMPANIES, seed: 7 };
    const file = stateFile ? new SandboxStateFile<HubSpotSandboxState>(stateFile, HUBSPOT_STATE_VERSION) : undefined;
    const saved = file?.read();
    const sandbox = saved ? restoreHubSpotSandbox(saved, options) : createHubSpotSandbox(options);
    const kept = keepSandboxState(sandbox, file, () => hubspotSandboxState(sandbox), saved !== undefined);
    return Object.assign(sandbox, {
      people: (limit: number) => people(sandbox, limit),
      records: () => hubspotRecords(sandbox),
      ...kept,
    });
  },
  connection: (baseUrl) => ({
    name: 'HubSpot sandbox',
    credentials: { authType: 'private_app', accessToken: SANDBOX_PRIVATE_APP_TOKEN, baseUrl },
    // The sandbox portal labels end users "End User"; the program's defaults know "Business User".
    settings: { roleMapping: { 'End User': 'end_user' } },
  }),
  // The sandbox serves the consent page and the API on one host.
  oauthApp: (baseUrl) => ({ clientId: SANDBOX_OAUTH_CLIENT.clientId, clientSecret: SANDBOX_OAUTH_CLIENT.clientSecret, account: { baseUrl } }),
};
