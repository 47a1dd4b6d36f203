import { BadRequestException } from '@nestjs/common';
import { connectorChoices, credentialForms } from './connector-forms';

describe('the credentials forms the console shows', () => {
  it('lists every installed connector', () => {
    expect(connectorChoices()).toEqual(
      expect.arrayContaining([
        { kind: 'salesforce', label: 'Salesforce', role: 'crm', oauth: true },
        { kind: 'zendesk', label: 'Zendesk', role: 'helpdesk', oauth: true },
      ]),
    );
  });

  it('makes one form per authType the admin types, leaving out the one the OAuth flow makes', () => {
    expect(credentialForms('salesforce').map((f) => f.value)).toEqual(['jwt', 'client_credentials']);
    expect(credentialForms('hubspot').map((f) => f.value)).toEqual(['private_app']);
    expect(credentialForms('zendesk').map((f) => f.value)).toEqual(['api_token']);
  });

  it('asks for what the API requires, confirms defaults, offers another host, and never asks for what setup fills in', () => {
    const [jwt, clientCredentials] = credentialForms('salesforce');
    expect(jwt.fields.map((f) => [f.name, f.required, f.defaultValue, f.secret, f.multiline])).toEqual([
      ['loginUrl', false, 'https://login.salesforce.com', false, false],
      ['clientId', true, null, false, false],
      ['username', true, null, false, false],
      ['privateKey', true, null, true, true],
      ['instanceUrl', false, null, false, false],
    ]);
    // The client credentials flow refuses the shared login host: no default, required.
    expect(clientCredentials.fields.find((f) => f.name === 'loginUrl')).toMatchObject({ required: true, defaultValue: null });
    const zendesk = credentialForms('zendesk')[0].fields.map((f) => f.name);
    expect(zendesk).toEqual(['subdomain', 'email', 'apiToken', 'baseUrl']);
    expect(() => credentialForms('unknown')).toThrow(BadRequestException);
  });
});
