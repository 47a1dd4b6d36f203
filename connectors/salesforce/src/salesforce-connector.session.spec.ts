import { generateKeyPairSync, verify } from 'node:crypto';
import nock from 'nock';
import { DATA, INSTANCE_URL, LOGIN_URL, limitExceeded, queryPage, sessionExpired, tokenResponse } from '../fixtures/records';
import { drop, json, localInstance } from '../fixtures/local-instance';
import { Sleep } from '@connectors/core/src';
import { SalesforceConnector } from './salesforce-connector';
import { SalesforceCredentials } from './salesforce-credentials';

const OWNERS = 'SELECT Id, Name, Email, IsActive, SystemModstamp FROM User ORDER BY SystemModstamp ASC, Id ASC';
const owner = {
  attributes: { type: 'User', url: `${DATA}/sobjects/User/005Dn000001XyZaIAK` },
  Id: '005Dn000001XyZaIAK',
  Name: 'Andrew Fuller',
  Email: 'andrew.fuller@vendor.example.com',
  IsActive: true,
  SystemModstamp: '2026-01-05T12:00:00.000+0000',
};
const clientCredentials: SalesforceCredentials = { authType: 'client_credentials', loginUrl: LOGIN_URL, clientId: '3MVG9client', clientSecret: 'secret' };

function connector(credentials: SalesforceCredentials = clientCredentials, sleep: Sleep = async () => undefined, settings: object = {}) {
  return new SalesforceConnector({ credentials, settings, sleep });
}

const tokenEndpoint = () => nock(LOGIN_URL).post('/services/oauth2/token');
const owners = (token: string) =>
  nock(INSTANCE_URL, { reqheaders: { authorization: `Bearer ${token}` } })
    .get(`${DATA}/query`)
    .query({ q: OWNERS });

async function readOwners(c: SalesforceConnector) {
  const ids: string[] = [];
  for await (const page of c.read('owners', { since: null })) ids.push(...page.upserts.map((o) => o.externalId));
  return ids;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  // Unhook nock from node:http so nothing of this file intercepts after it ends.
  nock.restore();
});

describe('SalesforceConnector sessions', () => {
  it('signs in with a JWT it signs itself (RS256, iss/sub/aud/exp) and reads with the token', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let claims: Record<string, unknown> = {};
    const token = tokenEndpoint().reply(200, (_uri, body) => {
      const form = new URLSearchParams(body as string);
      const [header, payload, signature] = (form.get('assertion') ?? '').split('.');
      const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
      claims = { grant: form.get('grant_type'), signed, ...JSON.parse(Buffer.from(payload, 'base64url').toString()) };
      return tokenResponse('00DDn!jwt');
    });
    owners('00DDn!jwt').reply(200, queryPage([owner], 1));
    const before = Math.floor(Date.now() / 1000);
    const c = connector({
      authType: 'jwt',
      loginUrl: LOGIN_URL,
      clientId: '3MVG9client',
      username: 'integration@acme.example.com',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });

    expect(await readOwners(c)).toEqual(['005Dn000001XyZaIAK']);
    expect(token.isDone()).toBe(true);
    expect(claims).toMatchObject({
      grant: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      signed: true,
      iss: '3MVG9client',
      sub: 'integration@acme.example.com',
      aud: LOGIN_URL,
    });
    expect(claims.exp).toBeGreaterThanOrEqual(before + 180);
    expect(claims.exp).toBeLessThanOrEqual(before + 181);
    expect(c.apiCalls()).toBe(2);
  });

  it('on 401 INVALID_SESSION_ID gets a new token once and retries the query: 4 calls', async () => {
    tokenEndpoint().reply(200, tokenResponse('00DDn!first'));
    owners('00DDn!first').reply(401, sessionExpired);
    tokenEndpoint().reply(200, tokenResponse('00DDn!second'));
    const retried = owners('00DDn!second').reply(200, queryPage([owner], 1));
    const c = connector();
    expect(await readOwners(c)).toEqual(['005Dn000001XyZaIAK']);
    expect(retried.isDone()).toBe(true);
    expect(c.apiCalls()).toBe(4);
  });

  it('gives up as an auth failure when the new session is rejected too', async () => {
    tokenEndpoint().reply(200, tokenResponse('00DDn!first'));
    owners('00DDn!first').reply(401, sessionExpired);
    tokenEndpoint().reply(200, tokenResponse('00DDn!second'));
    owners('00DDn!second').reply(401, sessionExpired);
    const c = connector();
    await expect(readOwners(c)).rejects.toMatchObject({ kind: 'auth', details: { code: 'INVALID_SESSION_ID', status: 401 } });
    expect(c.apiCalls()).toBe(4);
  });

  it('backs off on 403 REQUEST_LIMIT_EXCEEDED (no Retry-After) and then succeeds', async () => {
    const sleep = jest.fn<ReturnType<Sleep>, Parameters<Sleep>>(async () => undefined);
    tokenEndpoint().reply(200, tokenResponse('00DDn!first'));
    owners('00DDn!first').times(2).reply(403, limitExceeded, { 'Sforce-Limit-Info': 'api-usage=15000/15000' });
    owners('00DDn!first').reply(200, queryPage([owner], 1), { 'Sforce-Limit-Info': 'api-usage=14990/15000' });
    const c = connector(clientCredentials, sleep, { dailyBudgetShare: 1 });
    expect(await readOwners(c)).toEqual(['005Dn000001XyZaIAK']);
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([500, 1000]);
    expect(c.apiCalls()).toBe(4);
    expect(c.apiUsage()).toEqual({ used: 14990, limit: 15000 });
  });

  it('retries 503 and a reset connection, without jsforce retrying behind our back', async () => {
    const sleep = jest.fn<ReturnType<Sleep>, Parameters<Sleep>>(async () => undefined);
    // A real reset socket, not nock's replyWithError: see fixtures/local-instance.ts.
    const instance = await localInstance(json(503, [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }]), drop, json(200, queryPage([owner], 1)));
    try {
      tokenEndpoint().reply(200, tokenResponse('00DDn!first', instance.url));
      const c = connector(clientCredentials, sleep);
      expect(await readOwners(c)).toEqual(['005Dn000001XyZaIAK']);
      const query = `GET ${DATA}/query?q=${encodeURIComponent(OWNERS)}`;
      expect(instance.requests).toEqual([query, query, query]);
      expect(instance.authorizations).toEqual(Array(3).fill('Bearer 00DDn!first'));
      expect(sleep).toHaveBeenCalledTimes(2);
      expect(c.apiCalls()).toBe(4);
    } finally {
      await instance.close();
    }
  });

  it('gives up after the retry budget with the vendor code kept', async () => {
    tokenEndpoint().reply(200, tokenResponse('00DDn!first'));
    owners('00DDn!first').times(6).reply(403, limitExceeded);
    const c = connector();
    await expect(readOwners(c)).rejects.toMatchObject({ kind: 'rate_limited', message: 'TotalRequests Limit exceeded.', details: { status: 403, code: 'REQUEST_LIMIT_EXCEEDED' } });
    expect(c.apiCalls()).toBe(7);
  });
});

describe('SalesforceConnector.testConnection', () => {
  const describeBody = (name: string, fields: string[]) => ({ name, fields: fields.map((f) => ({ name: f, relationshipName: null })) });
  const standard = ['Id', 'IsDeleted', 'SystemModstamp'];

  it('reports a mapped field the org does not have, after 1 token + 4 describe calls', async () => {
    tokenEndpoint().reply(200, tokenResponse('00DDn!first'));
    const api = nock(INSTANCE_URL)
      .get(`${DATA}/sobjects/Account/describe`)
      .reply(200, describeBody('Account', [...standard, 'Name', 'OwnerId', 'ARR__c', 'Customer_Since__c']))
      .get(`${DATA}/sobjects/Contract/describe`)
      .reply(200, describeBody('Contract', [...standard, 'AccountId', 'EndDate', 'Status']))
      .get(`${DATA}/sobjects/Contact/describe`)
      .reply(200, describeBody('Contact', [...standard, 'AccountId', 'Email', 'FirstName', 'LastName']))
      .get(`${DATA}/sobjects/AccountContactRelation/describe`)
      .reply(200, describeBody('AccountContactRelation', [...standard, 'AccountId', 'ContactId', 'Roles', 'IsActive']));
    const c = connector();
    expect(await c.testConnection()).toEqual({
      ok: false,
      authenticated: true,
      message: 'Salesforce lacks (or hides from the integration user) Account.Tier__c (fieldMapping.tier)',
      missingFields: [{ object: 'Account', field: 'Tier__c', setting: 'fieldMapping.tier' }],
    });
    expect(api.isDone()).toBe(true);
    expect(c.apiCalls()).toBe(5);
  });

  it('reports every AccountContactRelation field when the object does not exist (404)', async () => {
    tokenEndpoint().reply(200, tokenResponse('00DDn!first'));
    nock(INSTANCE_URL)
      .get(`${DATA}/sobjects/Account/describe`)
      .reply(200, describeBody('Account', [...standard, 'Name', 'OwnerId', 'arr__c', 'Tier__c', 'Customer_Since__c', 'Renewal_Date__c']))
      .get(`${DATA}/sobjects/Contact/describe`)
      .reply(200, describeBody('Contact', [...standard, 'AccountId', 'Email', 'FirstName', 'LastName']))
      .get(`${DATA}/sobjects/AccountContactRelation/describe`)
      .reply(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    const c = connector(clientCredentials, undefined, { fieldMapping: { renewalDate: { source: 'field', field: 'Renewal_Date__c' } } });
    const result = await c.testConnection();
    expect(result.missingFields.map((m) => `${m.object}.${m.field} ${m.setting}`)).toEqual(
      ['Id', 'AccountId', 'ContactId', 'Roles', 'IsActive', 'SystemModstamp', 'IsDeleted'].map((f) => `AccountContactRelation.${f} streams.contact_roles`),
    );
    expect(c.apiCalls()).toBe(4);
  });

  it('answers authenticated: false with the vendor message for wrong credentials, after one call', async () => {
    tokenEndpoint().reply(400, { error: 'invalid_client', error_description: 'invalid client credentials' });
    const c = connector();
    expect(await c.testConnection()).toEqual({ ok: false, authenticated: false, message: 'invalid client credentials', missingFields: [] });
    expect(c.apiCalls()).toBe(1);
  });

  it('fails a read with an auth VendorError carrying invalid_grant', async () => {
    tokenEndpoint().reply(400, { error: 'invalid_grant', error_description: "user hasn't approved this consumer" });
    await expect(readOwners(connector())).rejects.toMatchObject({
      kind: 'auth',
      message: "user hasn't approved this consumer",
      details: { status: 400, code: 'invalid_grant' },
    });
  });
});
