import { generateKeyPairSync } from 'node:crypto';
import { signJwtAssertion } from '@connectors/salesforce/src/salesforce-auth';
import { createSalesforceSandbox, SalesforceSandbox } from './salesforce-sandbox';
import { listenSandbox, ListeningSandbox } from '../kit/sandbox';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const CLIENT = { id: 'sandbox-client', secret: 'sandbox-secret' };

/** Response bodies are Salesforce JSON of many shapes; the assertions check them. */

type Json = any;

let sandbox: SalesforceSandbox;
let server: ListeningSandbox;

async function post(path: string, form: Record<string, string>) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Json };
}

async function get(path: string, token?: string) {
  const res = await fetch(`${server.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, limit: res.headers.get('sforce-limit-info'), body: (await res.json()) as Json };
}

async function clientToken(): Promise<string> {
  const { body } = await post('/services/oauth2/token', { grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret });
  return body.access_token;
}

beforeEach(async () => {
  sandbox = createSalesforceSandbox({
    accounts: 2500,
    seed: 5,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    jwtPublicKey: publicPem,
    username: 'int@acme.example.com',
    dailyLimit: 50,
  });
  server = await listenSandbox(sandbox);
});
afterEach(() => server.close());

describe('sandbox OAuth token endpoint', () => {
  it('issues a token for client credentials, with instance_url = its own URL', async () => {
    const { status, body } = await post('/services/oauth2/token', { grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret });
    expect(status).toBe(200);
    expect(body).toMatchObject({ instance_url: server.url, token_type: 'Bearer', scope: 'api' });
    expect(body.id).toMatch(new RegExp(`^${server.url}/id/00D5g0000000001[A-Z0-5]{3}/0055g[0-9A-Za-z]{13}$`));
    expect(body.access_token).toMatch(/^00D5g0000000001!AQ/);
  });

  it('refuses a wrong secret or client id the way Salesforce does', async () => {
    expect(await post('/services/oauth2/token', { grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: 'nope' })).toEqual({
      status: 400,
      body: { error: 'invalid_client', error_description: 'invalid client credentials' },
    });
    expect((await post('/services/oauth2/token', { grant_type: 'client_credentials', client_id: 'other', client_secret: CLIENT.secret })).body).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
    expect((await post('/services/oauth2/token', { grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
  });

  it('verifies a JWT assertion: signature, issuer, audience and subject', async () => {
    const jwt = (claims: Partial<{ clientId: string; username: string; loginUrl: string }>, key = privatePem) =>
      signJwtAssertion({ clientId: CLIENT.id, username: 'int@acme.example.com', loginUrl: server.url, ...claims }, key);
    const grant = (assertion: string) => post('/services/oauth2/token', { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    expect((await grant(jwt({}))).status).toBe(200);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect((await grant(jwt({}, otherKey))).body).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
    expect((await grant(jwt({ clientId: 'other' }))).body.error).toBe('invalid_client_id');
    expect((await grant(jwt({ loginUrl: 'https://evil.example.com' }))).body).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });
    expect((await grant(jwt({ username: 'someone@acme.example.com' }))).body.error_description).toBe("user hasn't approved this consumer");
  });
});

describe('sandbox REST API', () => {
  it('answers 401 INVALID_SESSION_ID without a valid token and after expireTokens()', async () => {
    expect(await get('/services/data/v62.0/sobjects/Account/describe')).toMatchObject({
      status: 401,
      body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID', fields: [] }],
    });
    const token = await clientToken();
    expect((await get('/services/data/v62.0/sobjects/Account/describe', token)).status).toBe(200);
    sandbox.expireTokens();
    expect((await get('/services/data/v62.0/sobjects/Account/describe', token)).status).toBe(401);
  });

  it('pages 2,000 records through query locators to the end, any API version, with Sforce-Limit-Info', async () => {
    const token = await clientToken();
    const first = await get(`/services/data/v58.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`, token);
    expect(first).toMatchObject({ status: 200, limit: 'api-usage=1/50', body: { totalSize: 2500, done: false } });
    expect(first.body.records).toHaveLength(2000);
    expect(first.body.nextRecordsUrl).toMatch(/^\/services\/data\/v58\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
    const second = await get(first.body.nextRecordsUrl, token);
    expect(second).toMatchObject({ status: 200, limit: 'api-usage=2/50', body: { totalSize: 2500, done: true } });
    expect(second.body.records).toHaveLength(500);
    expect(second.body.nextRecordsUrl).toBeUndefined();
    const ids = [...first.body.records, ...second.body.records].map((r: { Id: string }) => r.Id);
    expect(new Set(ids).size).toBe(2500);
    // A finished cursor is closed, as in Salesforce.
    expect((await get(first.body.nextRecordsUrl, token)).body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR', fields: [] }]);
  });

  it('shows soft-deleted rows to queryAll only', async () => {
    const token = await clientToken();
    const [deleted] = sandbox.deleteContacts(1);
    const q = encodeURIComponent(`SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true`);
    expect((await get(`/services/data/v62.0/query/?q=${q}`, token)).body).toMatchObject({ totalSize: 0, done: true, records: [] });
    expect((await get(`/services/data/v62.0/queryAll/?q=${q}`, token)).body.records.map((r: { Id: string }) => r.Id)).toEqual([deleted]);
  });

  it('refuses an unknown column with HTTP 400 and a JSON error array', async () => {
    const token = await clientToken();
    const { status, body } = await get(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id, Nope__c FROM Account')}`, token);
    expect(status).toBe(400);
    expect(body).toHaveLength(1);
    expect(body[0].errorCode).toBe('INVALID_FIELD');
    expect(body[0].message).toContain("No such column 'Nope__c' on entity 'Account'");
  });

  it('describes objects with the default custom fields, and 404 for unknown objects', async () => {
    const token = await clientToken();
    const { body } = await get('/services/data/v62.0/sobjects/Account/describe', token);
    expect(body.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['ARR__c', 'Tier__c', 'Customer_Since__c', 'Usage_Score__c']));
    expect(body.childRelationships).toContainEqual({ relationshipName: 'Contracts', childSObject: 'Contract', field: 'AccountId', cascadeDelete: false });
    expect((await get('/services/data/v62.0/sobjects/Opportunity__c/describe', token)).status).toBe(404);
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED past the daily limit and for injected faults, 503 too', async () => {
    const token = await clientToken();
    sandbox.failNext(1, 503);
    sandbox.failNext(1, 'REQUEST_LIMIT_EXCEEDED');
    const limits = '/services/data/v62.0/limits';
    expect(await get(limits, token)).toMatchObject({ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE' }] });
    expect(await get(limits, token)).toMatchObject({ status: 403, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }] });
    for (let i = 0; i < 50; i++) expect((await get(limits, token)).status).toBe(200);
    expect(await get(limits, token)).toMatchObject({ status: 403, limit: 'api-usage=50/50', body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
    expect(sandbox.calls()).toBe(1 + 2 + 50 + 1);
  });

  it('takes mutations over HTTP without counting them as API calls', async () => {
    const res = await fetch(`${server.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify({ changeAccounts: 3, deleteRelations: 2, expireTokens: true }) });
    const body = (await res.json()) as Json;
    expect(body.changedAccounts).toHaveLength(3);
    expect(body.deletedRelations).toHaveLength(2);
    expect(body.counts.Account).toBe(2500);
    expect(sandbox.calls()).toBe(0);
    const bad = await fetch(`${server.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify({ deleteAccounts: 99999 }) });
    expect(bad.status).toBe(400);
  });
});
