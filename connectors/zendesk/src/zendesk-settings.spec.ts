import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { withDefaults, ZendeskCredentials, ZendeskSettings } from './';

function problems<T extends object>(cls: new () => T, input: object): Record<string, string[]> {
  const errors = validateSync(plainToInstance(cls, input));
  return Object.fromEntries(errors.map((e) => [e.property, Object.values(e.constraints ?? {})]));
}

describe('ZendeskCredentials', () => {
  it('accepts an API token with the admin email, and an OAuth token', () => {
    expect(problems(ZendeskCredentials, { authType: 'api_token', subdomain: 'acme', email: 'admin@acme.test', apiToken: 't' })).toEqual({});
    expect(problems(ZendeskCredentials, { authType: 'oauth', subdomain: 'acme', accessToken: 'a', baseUrl: 'http://127.0.0.1:4010/zendesk' })).toEqual({});
  });

  it('names each missing or malformed field', () => {
    expect(problems(ZendeskCredentials, { authType: 'api_token', subdomain: 'acme.zendesk.com', email: 'admin' })).toEqual({
      subdomain: ['subdomain must be the account subdomain, e.g. acme for acme.zendesk.com'],
      email: ['email must be the email address of the Zendesk admin the API token acts for'],
      apiToken: ['apiToken must not be empty', 'apiToken must be a string'],
    });
    expect(Object.keys(problems(ZendeskCredentials, { authType: 'password', subdomain: 'acme' }))).toEqual(['authType']);
    expect(problems(ZendeskCredentials, { authType: 'oauth', subdomain: 'acme', baseUrl: 'ftp://x' })).toEqual({
      accessToken: ['accessToken must not be empty', 'accessToken must be a string'],
      baseUrl: ['baseUrl must be an http(s) URL'],
    });
  });
});

describe('ZendeskSettings', () => {
  it('fills in Zendesk’s defaults: no score field, 400 requests and 10 exports a minute', () => {
    expect(withDefaults(undefined)).toEqual(Object.assign(new ZendeskSettings(), { npsScoreFieldId: null, requestsPerMinute: 400, exportRequestsPerMinute: 10 }));
    expect(withDefaults({ npsScoreFieldId: 360000000001, exportRequestsPerMinute: 30 })).toMatchObject({
      npsScoreFieldId: 360000000001,
      requestsPerMinute: 400,
      exportRequestsPerMinute: 30,
    });
  });

  it('validates the filled-in settings and names the field', () => {
    expect(problems(ZendeskSettings, withDefaults({ npsScoreFieldId: 360000000001 }))).toEqual({});
    expect(problems(ZendeskSettings, { npsScoreFieldId: 'nps', requestsPerMinute: 5000, exportRequestsPerMinute: 0 })).toEqual({
      npsScoreFieldId: ['npsScoreFieldId must be a positive id', 'npsScoreFieldId must be the numeric id of a Zendesk custom ticket field'],
      requestsPerMinute: ['requestsPerMinute must be at most 2500'],
      exportRequestsPerMinute: ['exportRequestsPerMinute must be at least 1'],
    });
  });
});
