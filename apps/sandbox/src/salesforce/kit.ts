import { createSalesforceSandbox, SalesforceSandbox } from './salesforce-sandbox';
import { restoreSalesforceSandbox, SALESFORCE_STATE_VERSION, SalesforceSandboxState, salesforceSandboxState } from './sandbox-state';
import { salesforceRecords } from './sandbox-views';
import { keepSandboxState, SandboxStateFile } from '../kit/sandbox-state-file';
import { SandboxKit, SandboxPerson } from '../kit/sandbox';

/** Demo org size: every segment and quadrant shows, and it syncs in seconds. */
const DEMO_ACCOUNTS = 300;
const CLIENT = { clientId: 'nps-bridge-sandbox-client', clientSecret: 'nps-bridge-sandbox-secret' };

function people(sandbox: SalesforceSandbox, limit: number): SandboxPerson[] {
  return sandbox.store
    .rows('Contact')
    .filter((c) => !c.IsDeleted && typeof c.Email === 'string' && typeof c.AccountId === 'string')
    .slice(0, limit)
    .map((c) => ({ email: String(c.Email), name: String(c.Name), accountExternalId: String(c.AccountId) }));
}

export const salesforceSandboxKit: SandboxKit = {
  kind: 'salesforce',
  role: 'crm',
  imitates:
    'the Salesforce REST API (OAuth, SOQL query/queryAll with 2,000-row pages, describe, sObject Collections writes, Tooling custom fields with field-level security, Sforce-Limit-Info)',
  create: ({ baseUrl, stateFile }) => {
    const options = { accounts: DEMO_ACCOUNTS, seed: 7, baseUrl, ...CLIENT };
    const file = stateFile ? new SandboxStateFile<SalesforceSandboxState>(stateFile, SALESFORCE_STATE_VERSION) : undefined;
    const saved = file?.read();
    const sandbox = saved ? restoreSalesforceSandbox(saved, options) : createSalesforceSandbox(options);
    const kept = keepSandboxState(sandbox, file, () => salesforceSandboxState(sandbox), saved !== undefined);
    return Object.assign(sandbox, {
      people: (limit: number) => people(sandbox, limit),
      records: () => salesforceRecords(sandbox),
      ...kept,
    });
  },
  connection: (baseUrl) => ({
    name: 'Salesforce sandbox',
    credentials: { authType: 'client_credentials', loginUrl: baseUrl, ...CLIENT },
    settings: {},
  }),
  // The sandbox's URL plays the org's My Domain host.
  oauthApp: (baseUrl) => ({ ...CLIENT, account: { myDomainUrl: baseUrl } }),
};
