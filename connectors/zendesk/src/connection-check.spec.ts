import nock from 'nock';
import { VendorError } from '@connectors/core/src';
import { zendeskConnector } from './';

const ZENDESK = 'https://acme.zendesk.com';
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };
const ADMIN = { id: 880001, name: 'Sandbox Admin', email: 'admin@acme.test', role: 'admin' };

function connect(credentials: Record<string, string> = {}, npsScoreFieldId: number | null = 360000000001) {
  return zendeskConnector.create({
    credentials: { authType: 'api_token', subdomain: 'acme', email: 'admin@acme.test', apiToken: 'right-token', ...credentials },
    settings: zendeskConnector.withDefaults({ npsScoreFieldId, requestsPerMinute: 2500 }),
    sleep: async () => undefined,
  });
}

describe('ZendeskConnector.testConnection', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  // Restore too: node:http is shared by the worker's test files, and a hook left behind breaks the next file's nock.
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('answers authenticated: false with Zendesk’s message when the token is wrong', async () => {
    const wrong = `Basic ${Buffer.from('admin@acme.test/token:wrong-token').toString('base64')}`;
    const scope = nock(ZENDESK, { reqheaders: { authorization: wrong } })
      .get('/api/v2/users/me.json')
      .reply(401, { error: "Couldn't authenticate you" }, JSON_HEADERS);
    const connector = connect({ apiToken: 'wrong-token' });
    expect(await connector.testConnection()).toEqual({ ok: false, authenticated: false, message: "Couldn't authenticate you", missingFields: [] });
    expect(connector.apiCalls()).toBe(1);
    expect(scope.isDone()).toBe(true);
  });

  it('sends an OAuth token as Bearer', async () => {
    const scope = nock(ZENDESK, { reqheaders: { authorization: 'Bearer oauth-123' } })
      .get('/api/v2/users/me.json')
      .reply(200, { user: ADMIN }, JSON_HEADERS)
      .get('/api/v2/ticket_fields/360000000001.json')
      .reply(200, { ticket_field: { id: 360000000001, type: 'integer', title: 'NPS score' } }, JSON_HEADERS);
    const result = await connect({ authType: 'oauth', accessToken: 'oauth-123' }).testConnection();
    expect(result).toEqual({ ok: true, authenticated: true, message: null, missingFields: [] });
    expect(scope.isDone()).toBe(true);
  });

  it('reports a missing NPS score field', async () => {
    nock(ZENDESK)
      .get('/api/v2/users/me.json')
      .reply(200, { user: ADMIN }, JSON_HEADERS)
      .get('/api/v2/ticket_fields/360000000001.json')
      .reply(404, { error: 'RecordNotFound', description: 'Not found' }, JSON_HEADERS);
    expect(await connect().testConnection()).toEqual({
      ok: false,
      authenticated: true,
      message: 'Zendesk has no custom ticket field 360000000001 (npsScoreFieldId)',
      missingFields: [{ object: 'ticket_fields', field: '360000000001', setting: 'npsScoreFieldId' }],
    });
  });

  it('refuses a score field that does not hold numbers', async () => {
    nock(ZENDESK)
      .get('/api/v2/users/me.json')
      .reply(200, { user: ADMIN }, JSON_HEADERS)
      .get('/api/v2/ticket_fields/360000000001.json')
      .reply(200, { ticket_field: { id: 360000000001, type: 'text', title: 'NPS' } }, JSON_HEADERS);
    expect(await connect().testConnection()).toEqual({
      ok: false,
      authenticated: true,
      message: 'Zendesk ticket field 360000000001 (npsScoreFieldId) is a text field; the NPS score needs a number field',
      missingFields: [],
    });
  });

  it('says an agent token is not enough: exports, webhooks and triggers need an admin', async () => {
    nock(ZENDESK)
      .get('/api/v2/users/me.json')
      .reply(200, { user: { ...ADMIN, email: 'ada@acme.test', role: 'agent' } }, JSON_HEADERS);
    expect(await connect({}, null).testConnection()).toEqual({
      ok: false,
      authenticated: true,
      message: 'ada@acme.test is a Zendesk agent; incremental exports, webhooks and triggers need an admin',
      missingFields: [],
    });
  });

  it('treats the anonymous user Zendesk answers without credentials as not authenticated', async () => {
    nock(ZENDESK)
      .get('/api/v2/users/me.json')
      .reply(200, { user: { id: null, name: 'Anonymous user', email: 'invalid@example.com', role: 'end-user' } }, JSON_HEADERS);
    expect(await connect({}, null).testConnection()).toMatchObject({ ok: false, authenticated: false });
  });

  it('treats a 200 carrying Retry-After as a success (node-zendesk alone would throw its hard-coded 429)', async () => {
    nock(ZENDESK)
      .get('/api/v2/users/me.json')
      .reply(200, { user: ADMIN }, { ...JSON_HEADERS, 'Retry-After': '30' });
    expect(await connect({}, null).testConnection()).toEqual({ ok: true, authenticated: true, message: null, missingFields: [] });
  });

  it('throws an outage (after retries) instead of calling it a credentials problem', async () => {
    nock(ZENDESK).get('/api/v2/users/me.json').times(6).reply(503, 'Service Unavailable', { 'Content-Type': 'text/plain' });
    const error = await connect({}, null)
      .testConnection()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect([(error as VendorError).kind, (error as VendorError).message]).toEqual(['unavailable', 'Service Unavailable']);
  });
});
