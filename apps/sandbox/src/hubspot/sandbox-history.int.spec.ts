import { CrmArrPoint } from '@connectors/core/src';
import { hubspotConnector } from '@connectors/hubspot/src';
import { HubSpotConnector } from '@connectors/hubspot/src/hubspot-connector';
import { createHubSpotSandbox, HubSpotSandbox, SANDBOX_PRIVATE_APP_TOKEN } from './index';
import { listenSandbox, ListeningSandbox } from '../kit/sandbox';

const DAY = 86_400_000;

/** Raw JSON under test. */

type Json = any;

describe('HubSpot sandbox and connector: ARR property history', () => {
  let sandbox: HubSpotSandbox;
  let server: ListeningSandbox;
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_PRIVATE_APP_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as Json }));
  const get = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${SANDBOX_PRIVATE_APP_TOKEN}` } }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as Json,
    }));
  const connect = () =>
    hubspotConnector.create({
      credentials: { authType: 'private_app', accessToken: SANDBOX_PRIVATE_APP_TOKEN, baseUrl: server.url },
      settings: hubspotConnector.withDefaults({}),
      sleep: async () => undefined,
    }) as HubSpotConnector;
  const history = async (scope: 'all' | string[]) => {
    const c = connect();
    const points: CrmArrPoint[] = [];
    for await (const page of c.readArrHistory(scope)) points.push(...page);
    return { points, calls: c.apiCalls() };
  };

  beforeAll(async () => {
    sandbox = createHubSpotSandbox({ companies: 120, contactsPerCompany: 1, seed: 3 });
    server = await listenSandbox(sandbox);
  });
  afterAll(() => server.close());

  it('batch read answers propertiesWithHistory newest first, the current value first, and refuses more than 50 inputs', async () => {
    const ids = sandbox.portal.companies.slice(0, 51).map((c) => c.id);
    const refused = await post('/crm/v3/objects/companies/batch/read', { inputs: ids.map((id) => ({ id })), properties: [], propertiesWithHistory: ['arr'] });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringMatching(/batch request for property histories is 50/) });
    const plain = await post('/crm/v3/objects/companies/batch/read', { inputs: ids.map((id) => ({ id })), properties: ['arr'] });
    expect(plain.status).toBe(200);

    const answer = await post('/crm/v3/objects/companies/batch/read', {
      inputs: [...ids.slice(0, 2), '1'].map((id) => ({ id })),
      properties: ['arr'],
      propertiesWithHistory: ['arr'],
    });
    expect(answer.status).toBe(207);
    expect(answer.body.errors[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['1'] } });
    for (const result of answer.body.results) {
      const entries = result.propertiesWithHistory.arr as Array<{ value: string; timestamp: string; sourceType: string }>;
      expect(entries.map((e) => e.timestamp)).toEqual([...entries.map((e) => e.timestamp)].sort().reverse());
      if (result.properties.arr !== null) expect(entries[0].value).toBe(result.properties.arr);
    }
    const page = await get('/crm/v3/objects/companies?limit=100&propertiesWithHistory=arr');
    expect(page.status).toBe(400);
    expect((await get('/crm/v3/objects/companies?limit=50&propertiesWithHistory=arr')).body.results[0].propertiesWithHistory.arr).toEqual(expect.any(Array));
  });

  it('the generated portal has ARR history reaching back 180 days for most companies, not all', () => {
    const reach = sandbox.portal.companies.filter((c) => (sandbox.portal.history.companies.get(c.id)?.arr ?? []).some((e) => e.timestamp <= Date.now() - 180 * DAY));
    expect(reach.length / sandbox.portal.companies.length).toBeGreaterThan(0.6);
    expect(reach.length).toBeLessThan(sandbox.portal.companies.length);
  });

  it('the connector reads every company’s history in ⌈N/50⌉ calls, or named ones 50 a call; a write adds a point', async () => {
    const all = await history('all');
    expect(all.calls).toBe(Math.ceil(120 / 50));
    const kept = sandbox.portal.companies.flatMap((c) => (sandbox.portal.history.companies.get(c.id)?.arr ?? []).map((e) => ({ id: c.id, ...e })));
    expect(all.points).toHaveLength(kept.length);

    const ids = sandbox.portal.companies.slice(0, 60).map((c) => c.id);
    const named = await history(ids);
    expect(named.calls).toBe(2);
    expect(named.points).toEqual(all.points.filter((p) => ids.includes(p.accountExternalId)));

    const [changed] = sandbox.changeCompanies(1);
    const updated = await post('/crm/v3/objects/companies/batch/update', { inputs: [{ id: changed, properties: { arr: '4242.5' } }] });
    expect(updated.status).toBe(200);
    const after = await history([changed]);
    expect(after.points[after.points.length - 1]).toMatchObject({ accountExternalId: changed, arr: '4242.50' });
  });
});
