import nock from 'nock';
import { CrmConnector, CrmPage, VendorError } from '@connectors/core/src';
import { HubSpotCredentials } from './hubspot-credentials';
import { hubspotConnector } from './index';
import { withDefaults } from './hubspot-settings';

const HS = 'https://api.hubapi.com';
const owners = { results: [{ id: '1', email: 'a@vendor.example.com', type: 'PERSON', archived: false, createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-01T00:00:00Z' }] };
const TEN_SECONDLY = {
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c1',
  policyName: 'TEN_SECONDLY_ROLLING',
};
const NOT_AUTHENTICATED = {
  status: 'error',
  message:
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  correlationId: 'c2',
  category: 'INVALID_AUTHENTICATION',
};
const form = (body: unknown) => new URLSearchParams(typeof body === 'string' ? body : (body as Record<string, string>));

interface Harness {
  connector: CrmConnector;
  waits: number[];
  refreshed: HubSpotCredentials[];
}

function connect(credentials: Partial<HubSpotCredentials> = {}, settings = hubspotConnector.withDefaults(undefined)): Harness {
  const waits: number[] = [];
  const refreshed: HubSpotCredentials[] = [];
  const connector = hubspotConnector.create({
    credentials: { authType: 'private_app', accessToken: 'pat-na1-test', ...credentials },
    settings,
    sleep: async (ms) => void waits.push(ms),
    onCredentialsRefreshed: async (c) => void refreshed.push(c),
  });
  return { connector, waits, refreshed };
}

async function readOwners(connector: CrmConnector): Promise<CrmPage<'owners'>[]> {
  const pages: CrmPage<'owners'>[] = [];
  for await (const page of connector.read('owners', { since: null })) pages.push(page);
  return pages;
}

const ownerPages = (scope: nock.Scope, token = 'pat-na1-test') =>
  scope.get('/crm/v3/owners/').query({ limit: '500', archived: 'false' }).matchHeader('authorization', `Bearer ${token}`);
const archivedOwners = (scope: nock.Scope) => scope.get('/crm/v3/owners/').query({ limit: '500', archived: 'true' }).reply(200, { results: [] });

describe('HubSpot calls: rate limits, retries, tokens, connection test', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore(); // unhook http before Jest tears the file's globals down
  });

  it('waits at least 10 s on a TEN_SECONDLY_ROLLING 429, then resumes', async () => {
    const scope = nock(HS);
    ownerPages(scope).reply(429, TEN_SECONDLY);
    ownerPages(scope).reply(200, owners);
    archivedOwners(scope);
    const { connector, waits } = connect();

    const pages = await readOwners(connector);

    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(10_000);
    expect(pages[0].upserts.map((o) => o.externalId)).toEqual(['1']);
    expect(connector.apiCalls()).toBe(3);
    scope.done();
  });

  it('waits at least a second on search’s secondly limit, and honours a longer Retry-After', async () => {
    const scope = nock(HS)
      .post('/crm/v3/objects/contacts/search')
      .reply(429, { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: 'c3' })
      .post('/crm/v3/objects/contacts/search')
      .reply(429, TEN_SECONDLY, { 'Retry-After': '30' })
      .post('/crm/v3/objects/contacts/search')
      .reply(200, { total: 0, results: [] })
      .get('/crm/v3/objects/contacts')
      .query((q) => q.archived === 'true')
      .reply(200, { results: [] });
    const { connector, waits } = connect();

    for await (const _ of connector.read('contacts', { since: '2026-01-01T00:00:00Z' })) void _;

    expect(waits[0]).toBeGreaterThanOrEqual(1_000);
    expect(waits[0]).toBeLessThan(10_000);
    expect(waits[1]).toBe(30_000);
    expect(connector.apiCalls()).toBe(4);
    scope.done();
  });

  it('backs off on 503s and stops at once on the daily limit', async () => {
    const scope = nock(HS);
    ownerPages(scope).times(2).reply(503, { status: 'error', message: 'Service Unavailable', correlationId: 'c4' });
    ownerPages(scope).reply(200, owners);
    archivedOwners(scope);
    const { connector, waits } = connect();

    await readOwners(connector);
    expect(waits).toEqual([500, 1000]);
    expect(connector.apiCalls()).toBe(4);

    const daily = connect();
    ownerPages(scope).reply(429, { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', correlationId: 'c6', policyName: 'DAILY' });
    const error = await readOwners(daily.connector).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ kind: 'rate_limited', message: 'You have reached your daily limit.', details: { status: 429, code: 'DAILY' } });
    expect(daily.waits).toEqual([]);
    expect(daily.connector.apiCalls()).toBe(1);
    scope.done();
  });

  it('refreshes an OAuth token once on a 401, retries the call and hands over the new credentials', async () => {
    let tokenForm: URLSearchParams | undefined;
    const scope = nock(HS);
    ownerPages(scope, 'old-token').reply(401, {
      status: 'error',
      message: 'The OAuth token used to make this call expired 3 minute(s) ago.',
      correlationId: 'c7',
      category: 'EXPIRED_AUTHENTICATION',
    });
    scope
      .post('/oauth/v1/token', (body) => ((tokenForm = form(body)), true))
      .reply(200, { token_type: 'bearer', refresh_token: 'refresh-1', access_token: 'new-token', expires_in: 1800 });
    ownerPages(scope, 'new-token').reply(200, owners);
    archivedOwners(scope);
    const oauth = {
      authType: 'oauth' as const,
      accessToken: 'old-token',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      clientId: 'cid',
      clientSecret: 'secret',
      refreshToken: 'refresh-1',
    };
    const { connector, refreshed } = connect(oauth);

    const pages = await readOwners(connector);

    expect(Object.fromEntries(tokenForm!)).toEqual({ grant_type: 'refresh_token', client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh-1' });
    expect(pages[0].upserts).toHaveLength(1);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toMatchObject({ ...oauth, accessToken: 'new-token', expiresAt: expect.any(String) });
    expect(Date.parse(refreshed[0].expiresAt!) - Date.now()).toBeGreaterThan(1_790_000);
    expect(connector.apiCalls()).toBe(4);
    scope.done();
  });

  it('refreshes before the token expires, and reports a refused refresh token in HubSpot’s words', async () => {
    const scope = nock(HS).post('/oauth/v1/token').reply(200, { token_type: 'bearer', refresh_token: 'r', access_token: 'fresh', expires_in: 1800 });
    ownerPages(scope, 'fresh').reply(200, owners);
    archivedOwners(scope);
    const soon = { authType: 'oauth' as const, accessToken: 'stale', expiresAt: new Date(Date.now() + 30_000).toISOString(), clientId: 'c', clientSecret: 's', refreshToken: 'r' };
    const ahead = connect(soon);
    await readOwners(ahead.connector);
    expect(ahead.refreshed.map((c) => c.accessToken)).toEqual(['fresh']);
    expect(ahead.connector.apiCalls()).toBe(3);
    scope.done();

    nock(HS).post('/oauth/v1/token').reply(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token', correlationId: 'c8' });
    const refused = connect({ ...soon, accessToken: undefined, expiresAt: undefined });
    const error = await readOwners(refused.connector).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', message: 'missing or unknown refresh token', details: { status: 400, code: 'BAD_REFRESH_TOKEN' } });
    expect(refused.connector.apiCalls()).toBe(1);
    expect(refused.waits).toEqual([]);
  });

  it('does not retry a refused private-app token', async () => {
    const scope = nock(HS);
    ownerPages(scope).reply(401, NOT_AUTHENTICATED);
    const { connector, waits } = connect();
    await expect(readOwners(connector)).rejects.toMatchObject({ kind: 'auth', message: NOT_AUTHENTICATED.message, details: { status: 401 } });
    expect(waits).toEqual([]);
    expect(connector.apiCalls()).toBe(1);
    scope.done();
  });

  describe('testConnection', () => {
    const properties = (names: string[]) => ({ results: names.map((name) => ({ name, label: name, type: 'string', fieldType: 'text', groupName: 'g' })) });

    it('passes with one call when every mapped property exists, and reports the daily usage', async () => {
      const scope = nock(HS)
        .get('/crm/v3/properties/companies')
        .reply(200, properties(['name', 'arr', 'renewal_date', 'tier', 'customer_since']), {
          'X-HubSpot-RateLimit-Daily': '500000',
          'X-HubSpot-RateLimit-Daily-Remaining': '499990',
        });
      const { connector } = connect();
      await expect(connector.testConnection()).resolves.toEqual({ ok: true, authenticated: true, message: null, missingFields: [] });
      expect(connector.apiCalls()).toBe(1);
      expect(connector.apiUsage()).toEqual({ used: 10, limit: 500_000 });
      scope.done();
    });

    it('names every mapped property HubSpot lacks', async () => {
      const scope = nock(HS)
        .get('/crm/v3/properties/companies')
        .reply(200, properties(['name', 'renewal_date', 'tier', 'customer_since']));
      const settings = withDefaults({ fieldMapping: { usage: 'usage_score' } });
      const { connector } = connect({}, settings);
      const result = await connector.testConnection();
      expect(result).toMatchObject({ ok: false, authenticated: true });
      expect(result.missingFields).toEqual([
        { object: 'companies', field: 'arr', setting: 'fieldMapping.arr' },
        { object: 'companies', field: 'usage_score', setting: 'fieldMapping.usage' },
      ]);
      expect(result.message).toContain('"arr" (fieldMapping.arr)');
      scope.done();
    });

    it('answers authenticated: false with HubSpot’s message for a wrong token', async () => {
      const scope = nock(HS).get('/crm/v3/properties/companies').matchHeader('authorization', 'Bearer pat-wrong').reply(401, NOT_AUTHENTICATED);
      const { connector } = connect({ accessToken: 'pat-wrong' });
      await expect(connector.testConnection()).resolves.toEqual({ ok: false, authenticated: false, message: NOT_AUTHENTICATED.message, missingFields: [] });
      expect(connector.apiCalls()).toBe(1);
      scope.done();
    });
  });
});
