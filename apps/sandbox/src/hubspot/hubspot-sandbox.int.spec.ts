import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { createHubSpotSandbox, HubSpotSandbox } from './index';
import { SandboxLimits } from './sandbox-limits';
import { listenSandbox, ListeningSandbox } from '../kit/sandbox';

interface Answer {
  status: number;
  /** Raw JSON under test. */
  body: any;
  headers: Headers;
}

/** A raw HTTP client: what HubSpot would see from anyone, not our connector. */
function client(base: string, token?: string) {
  const send = async (method: string, path: string, body?: unknown, form?: Record<string, string>): Promise<Answer> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : body ? { 'content-type': 'application/json' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
  return {
    get: (path: string) => send('GET', path),
    post: (path: string, body: unknown) => send('POST', path, body),
    form: (path: string, form: Record<string, string>) => send('POST', path, undefined, form),
  };
}

const search = (after?: string, limit = 200) => ({
  filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: '0' }] }],
  sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
  properties: ['name', 'hs_lastmodifieddate'],
  limit,
  ...(after ? { after } : {}),
});

describe('HubSpot sandbox', () => {
  let sandbox: HubSpotSandbox;
  let server: ListeningSandbox;

  beforeAll(async () => {
    sandbox = createHubSpotSandbox({ companies: 150, contactsPerCompany: 3, requestsPer10s: 1000, searchPerSecond: 100 });
    server = await listenSandbox(sandbox);
  });
  afterAll(() => server.close());

  it('answers 429 TEN_SECONDLY_ROLLING past the 10-second budget of one token', async () => {
    const small = createHubSpotSandbox({ companies: 3, requestsPer10s: 5 });
    const listening = await listenSandbox(small);
    try {
      const api = client(listening.url, small.privateAppToken);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await api.get('/crm/v3/owners')).status);
      const refused = await api.get('/crm/v3/owners');
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: expect.any(String),
        policyName: 'TEN_SECONDLY_ROLLING',
      });
      expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('x-hubspot-ratelimit-max')).toBe('5');
      // the budget is per token: an OAuth token of the same portal still gets through
      const token = await client(listening.url).form('/oauth/v1/token', {
        grant_type: 'refresh_token',
        client_id: small.oauthClient.clientId,
        client_secret: small.oauthClient.clientSecret,
        refresh_token: small.oauthClient.refreshToken,
      });
      expect((await client(listening.url, token.body.access_token).get('/crm/v3/owners')).status).toBe(200);
      expect(small.calls()).toBe(8);
    } finally {
      await listening.close();
    }
  });

  it('rolls its window: a request leaves the budget exactly 10 s after it was counted', () => {
    const limits = new SandboxLimits({ requestsPer10s: 3, searchPerSecond: 2, dailyLimit: 100 });
    expect([0, 4000, 9000].map((t) => limits.admit('t', false, t))).toEqual([undefined, undefined, undefined]);
    expect(limits.admit('t', false, 9999)).toMatchObject({ status: 429 });
    expect(limits.admit('t', false, 10_000)).toBeUndefined(); // the request at 0 has left
    expect(limits.admit('t', false, 13_999)).toMatchObject({ status: 429 }); // 4000, 9000, 10000 are still in
    expect(limits.admit('s', true, 14_000)).toBeUndefined();
    expect(limits.admit('s', true, 14_500)).toBeUndefined();
    expect(limits.admit('s', true, 14_900)).toMatchObject({ status: 429, body: { message: 'You have reached your secondly limit.' } });
    expect(limits.admit('s', true, 15_000)).toBeUndefined();
  });

  it('limits search to its per-second budget with HubSpot’s secondly message', async () => {
    const small = createHubSpotSandbox({ companies: 3, searchPerSecond: 2 });
    const listening = await listenSandbox(small);
    try {
      const api = client(listening.url, small.privateAppToken);
      const answers = await Promise.all([1, 2, 3].map(() => api.post('/crm/v3/objects/companies/search', search())));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429]);
      expect(answers.find((a) => a.status === 429)!.body.message).toBe('You have reached your secondly limit.');
    } finally {
      await listening.close();
    }
  });

  it('lists at most 100 a page, like HubSpot, and follows `after` to the end', async () => {
    const api = client(server.url, sandbox.privateAppToken);
    const first = await api.get('/crm/v3/objects/companies?limit=500&properties=name,arr');
    expect(first.body.results).toHaveLength(100);
    expect(Object.keys(first.body.results[0].properties).sort()).toEqual(['arr', 'name']);
    const second = await api.get(`/crm/v3/objects/companies?limit=100&after=${first.body.paging.next.after}`);
    expect(second.body.results).toHaveLength(50);
    expect(second.body.paging).toBeUndefined();
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('1000000');
  });

  it('searches oldest first, at most 200 a page, and refuses to page past 10,000', async () => {
    const api = client(server.url, sandbox.privateAppToken);
    const page = await api.post('/crm/v3/objects/companies/search', search(undefined, 100));
    const times = page.body.results.map((r: { properties: { hs_lastmodifieddate: string } }) => Date.parse(r.properties.hs_lastmodifieddate));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(page.body).toMatchObject({ total: 150, paging: { next: { after: '100' } } });
    expect((await api.post('/crm/v3/objects/companies/search', search(undefined, 201))).status).toBe(400);
    const past = await api.post('/crm/v3/objects/companies/search', search('10000'));
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    const contactsOnCompanyProperty = await api.post('/crm/v3/objects/contacts/search', search());
    expect(contactsOnCompanyProperty.status).toBe(400);
  });

  it('batch-reads labeled associations, ≤ 100 inputs, with 207 errors for records without any', async () => {
    const api = client(server.url, sandbox.privateAppToken);
    const companyIds = sandbox.portal.companies.slice(0, 100).map((c) => c.id);
    const answer = await api.post('/crm/v4/associations/companies/contacts/batch/read', { inputs: [...companyIds, '1'].slice(0, 100).map((id) => ({ id })) });
    expect(answer.status).toBe(200);
    const types = answer.body.results.flatMap((r: { to: Array<{ associationTypes: Array<{ label: string | null }> }> }) => r.to.map((t) => t.associationTypes));
    const labelCounts = types.map((t: Array<{ label: string | null }>) => t.filter((x) => x.label && x.label !== 'Primary').length);
    expect(labelCounts).toContain(0);
    expect(labelCounts).toContain(1);
    expect(Math.max(...labelCounts)).toBeGreaterThanOrEqual(2);
    expect(types.flat()).toContainEqual({ category: 'HUBSPOT_DEFINED', typeId: 280, label: null });
    const tooMany = await api.post('/crm/v4/associations/companies/contacts/batch/read', { inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i) })) });
    expect(tooMany.status).toBe(400);
    const none = await api.post('/crm/v4/associations/contacts/companies/batch/read', { inputs: [{ id: '42' }] });
    expect(none.status).toBe(207);
    expect(none.body.errors[0]).toMatchObject({ subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND' });
  });

  it('refuses missing and expired tokens with 401s in HubSpot’s shape, and unknown refresh tokens with 400', async () => {
    const anonymous = await client(server.url).get('/crm/v3/owners');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', message: expect.stringMatching(/^Authentication credentials not found/) });
    const { clientId, clientSecret, refreshToken } = sandbox.oauthClient;
    const issued = await client(server.url).form('/oauth/v1/token', { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken });
    expect(issued.body).toMatchObject({ token_type: 'bearer', access_token: expect.any(String), expires_in: 1800 });
    sandbox.expireTokens();
    const expired = await client(server.url, issued.body.access_token).get('/crm/v3/owners');
    expect(expired).toMatchObject({ status: 401, body: { category: 'EXPIRED_AUTHENTICATION' } });
    const refused = await client(server.url).form('/oauth/v1/token', { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: 'nope' });
    expect(refused).toMatchObject({ status: 400, body: { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' } });
  });

  it('takes mutations over HTTP, counts live records and fails on request', async () => {
    const control = client(server.url);
    const before = sandbox.counts();
    sandbox.resetCalls();
    const archived = await control.post('/_sandbox/mutate', { action: 'archiveContacts', count: 2 });
    expect(archived.body.result).toHaveLength(2);
    expect(archived.body.counts.contacts).toBe(before.contacts - 2);
    await control.post('/_sandbox/mutate', { action: 'failNext', count: 1, kind: 503 });
    const api = client(server.url, sandbox.privateAppToken);
    expect((await api.get('/crm/v3/owners')).status).toBe(503);
    expect((await api.get('/crm/v3/owners')).status).toBe(200);
    expect(sandbox.calls()).toBe(2); // control requests are not billed
    expect((await control.post('/_sandbox/mutate', { action: 'explode' })).status).toBe(400);
  });

  it('can be mounted under a path prefix', async () => {
    const mounted = createServer((req, res) => {
      req.url = req.url!.replace(/^\/sandbox\/hubspot/, '') || '/';
      sandbox.handle(req, res);
    });
    await new Promise<void>((resolve) => mounted.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = mounted.address() as AddressInfo;
      const answer = await client(`http://127.0.0.1:${port}/sandbox/hubspot`, sandbox.privateAppToken).get('/crm/v3/properties/companies');
      expect(answer.body.results.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['arr', 'renewal_date', 'tier', 'customer_since']));
    } finally {
      mounted.closeAllConnections();
      await new Promise((resolve) => mounted.close(resolve));
    }
  });

  it('generates realistic, varied data', () => {
    const { companies, contacts } = sandbox.portal;
    const arr = companies.map((c) => (c.arr === null ? null : Number(c.arr)));
    expect(arr).toContain(100_000);
    expect(arr.filter((a) => a !== null && a < 10_000).length).toBeGreaterThan(companies.length / 5);
    expect(arr.some((a) => a !== null && a >= 500_000)).toBe(true);
    const day = 86_400_000;
    const ahead = companies.filter((c) => c.renewalDate && Date.parse(c.renewalDate) - Date.now() >= 59 * day && Date.parse(c.renewalDate) - Date.now() <= 91 * day);
    expect(ahead.length).toBeGreaterThan(0);
    expect(new Set(contacts.map((c) => c.email)).size).toBe(contacts.length);
    expect(companies.every((c) => c.modifiedMs > 0) && contacts.every((c) => c.modifiedMs > 0)).toBe(true);
  });

  it('holds 20,000 companies and 60,000 contacts comfortably', async () => {
    const started = Date.now();
    const big = createHubSpotSandbox({ companies: 20_000, contactsPerCompany: 3, searchPerSecond: 100 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(big.counts()).toMatchObject({ companies: 20_000, contacts: 60_000 });
    const listening = await listenSandbox(big);
    try {
      const api = client(listening.url, big.privateAppToken);
      const t = Date.now();
      const found = await api.post('/crm/v3/objects/contacts/search', {
        ...search(undefined, 200),
        filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }],
        sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      });
      expect(found.body).toMatchObject({ total: 60_000 });
      expect(Date.now() - t).toBeLessThan(3_000);
    } finally {
      await listening.close();
    }
  });
});
