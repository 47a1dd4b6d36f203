import { CrmFieldSpec, NPS_ACCOUNT_FIELDS, NPS_CONTACT_FIELDS, NPS_FIELD_SHAPES } from '@connectors/core/src';
import { hubspotConnector } from '@connectors/hubspot/src';
import { salesforceConnector } from '@connectors/salesforce/src';
import { createHubSpotSandbox } from './hubspot';
import { listenSandbox, ListeningSandbox } from './kit/sandbox';
import { createSalesforceSandbox } from './salesforce';

/**
 * The NPS fields a set-up sandbox starts with (option npsFields) are the sandbox's own seed
 * data, not the product's definitions. This holds them to what the product's setup asks for:
 * if either side changes, setup would no longer find every field and this fails.
 */
const specs = (names: Record<(typeof NPS_ACCOUNT_FIELDS | typeof NPS_CONTACT_FIELDS)[number], string>): CrmFieldSpec[] => [
  ...NPS_ACCOUNT_FIELDS.map((f) => ({ object: 'account' as const, name: names[f], ...NPS_FIELD_SHAPES[f] })),
  ...NPS_CONTACT_FIELDS.map((f) => ({ object: 'contact' as const, name: names[f], ...NPS_FIELD_SHAPES[f] })),
];
const noSleep = async () => undefined;

describe('a sandbox started set up has every field the setup command asks for', () => {
  let server: ListeningSandbox | undefined;
  afterEach(() => server?.close());

  it('HubSpot: setup finds all 16 properties, creates none and leaves nothing to the admin', async () => {
    const sandbox = createHubSpotSandbox({ companies: 2, npsFields: true });
    server = await listenSandbox(sandbox);
    const connector = hubspotConnector.create({
      credentials: { authType: 'private_app', accessToken: sandbox.privateAppToken, baseUrl: server.url },
      settings: hubspotConnector.withDefaults({}),
      sleep: noSleep,
    });
    const fields = specs(hubspotConnector.npsFieldNames);
    expect(await connector.ensureFields(fields)).toEqual({ created: [], existing: fields, manual: [] });
  });

  it('Salesforce: setup finds all 16 custom fields, creates none and leaves nothing to the admin', async () => {
    const client = { clientId: 'seed-check-client', clientSecret: 'seed-check-secret' };
    const sandbox = createSalesforceSandbox({ accounts: 2, npsFields: true, ...client });
    server = await listenSandbox(sandbox);
    const connector = salesforceConnector.create({
      credentials: { authType: 'client_credentials', loginUrl: server.url, ...client },
      settings: salesforceConnector.withDefaults({}),
      sleep: noSleep,
    });
    const fields = specs(salesforceConnector.npsFieldNames);
    expect(await connector.ensureFields(fields)).toEqual({ created: [], existing: fields, manual: [] });
  });
});
