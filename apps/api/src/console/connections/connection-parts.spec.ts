import { humanize, problemsByField } from './connection-parts';

describe('connection page helpers', () => {
  it('names properties as people read them', () => {
    expect(['myDomainUrl', 'clientId', 'client_credentials', 'jwt', 'arrCurrency', 'apiToken', 'subdomain'].map(humanize)).toEqual([
      'My domain URL',
      'Client ID',
      'Client credentials',
      'JWT',
      'ARR currency',
      'API token',
      'Subdomain',
    ]);
  });

  it("puts the services' messages on the form's fields, worded to follow the field's label", () => {
    const fields = ['name', 'clientId', 'account.myDomainUrl', 'credentials.privateKey'];
    expect(
      problemsByField(
        [
          'clientId must not be blank',
          'account.myDomainUrl: myDomainUrl must be an http(s) URL',
          'credentials.privateKey: privateKey must be a PEM private key',
          'name: another connection already has this name',
          'returnTo must be a path on this service',
        ],
        fields,
      ),
    ).toEqual({
      clientId: 'must not be blank',
      'account.myDomainUrl': 'must be an http(s) URL',
      'credentials.privateKey': 'must be a PEM private key',
      name: 'another connection already has this name',
      form: 'returnTo must be a path on this service',
    });
  });
});
