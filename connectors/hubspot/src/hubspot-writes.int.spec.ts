import { listenSandbox, ListeningSandbox } from '../../core/src';
import { createHubSpotSandbox, HubSpotSandbox } from '../sandbox';
import { HubSpotConnector } from './hubspot-connector';
import { HubSpotTaskInput, HubSpotTaskState } from './hubspot-writes';
import { hubspotConnector } from './index';

describe('HubSpot writes against the HubSpot sandbox', () => {
  let sandbox: HubSpotSandbox;
  let server: ListeningSandbox;
  const waits: number[] = [];

  beforeAll(async () => {
    sandbox = createHubSpotSandbox({ companies: 300, contactsPerCompany: 1, seed: 11 });
    server = await listenSandbox(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(() => sandbox.resetCalls());

  const connect = () =>
    hubspotConnector.create({
      credentials: { authType: 'private_app', accessToken: sandbox.privateAppToken, baseUrl: server.url },
      settings: hubspotConnector.withDefaults(undefined),
      sleep: async (ms) => void waits.push(ms),
    }) as HubSpotConnector;

  /** Task i for the i-th live company and one of its contacts. */
  const task = (i: number, overrides: Partial<HubSpotTaskInput> = {}): HubSpotTaskInput => {
    const company = sandbox.portal.companies[i % sandbox.portal.companies.length];
    const contactId = sandbox.portal.linksByCompany.get(company.id)![0].contactId;
    return {
      key: `k-${i}`,
      contactId,
      companyId: company.id,
      ownerId: sandbox.portal.owners[0].id,
      dueAt: new Date(Date.now() + 48 * 3_600_000),
      priority: 'HIGH',
      subject: `NPS follow-up ${i}`,
      body: `Score 4, detractor (${i})`,
      ...overrides,
    };
  };

  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.privateAppToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as { status: string; message: string; category: string; correlationId: string } }));

  const readAll = async (connector: HubSpotConnector, since: string | null) => {
    const pages: HubSpotTaskState[][] = [];
    for await (const page of connector.readTasks(since)) pages.push(page);
    return pages;
  };

  it('creates 250 tasks in 3 calls, associated with their contact and company', async () => {
    const connector = connect();
    const before = sandbox.tasks().length;
    const inputs = Array.from({ length: 250 }, (_, i) => task(i));

    const results = await connector.createTasks(inputs);

    expect(sandbox.calls()).toBe(3);
    expect(connector.apiCalls()).toBe(3);
    expect(results.map((r) => r.key)).toEqual(inputs.map((t) => t.key));
    expect(results.every((r) => r.id !== undefined && r.error === undefined)).toBe(true);
    const created = sandbox.tasks().slice(before);
    expect(created).toHaveLength(250);
    const byId = new Map(created.map((t) => [t.id, t]));
    results.forEach((result, i) => {
      const stored = byId.get(result.id!)!;
      expect(stored.properties).toMatchObject({ hs_task_subject: `NPS follow-up ${i}`, hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH', hs_task_type: 'CALL' });
      expect(stored.contactIds).toEqual([inputs[i].contactId]);
      expect(stored.companyIds).toEqual([inputs[i].companyId]);
    });
  });

  it('validates task batches like HubSpot: > 100 inputs, hs_timestamp, enumerations, associations', async () => {
    const input = (i: number, properties: Record<string, string> = {}, contactId?: string) => ({
      properties: { hs_timestamp: String(Date.now()), hs_task_subject: 's', hs_task_status: 'NOT_STARTED', hs_task_priority: 'LOW', hs_task_type: 'TODO', ...properties },
      associations: [{ to: { id: contactId ?? task(i).contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] }],
    });
    const path = '/crm/v3/objects/tasks/batch/create';
    const before = sandbox.tasks().length;

    const tooMany = await post(path, { inputs: Array.from({ length: 101 }, (_, i) => input(i)) });
    const noTimestamp = await post(path, { inputs: [input(0, { hs_timestamp: '' })] });
    const badEnum = await post(path, { inputs: [input(0), input(1, { hs_task_priority: 'URGENT', hs_task_type: 'MEETING' })] });
    const badAssociation = await post(path, { inputs: [input(0, {}, '999999999')] });

    for (const answer of [tooMany, noTimestamp, badEnum, badAssociation]) {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    }
    expect(tooMany.body.message).toMatch(/101.*100/);
    expect(noTimestamp.body.message).toMatch(/^Property values were not valid: .*"REQUIRED_PROPERTY".*"name":"hs_timestamp"/);
    expect(badEnum.body.message).toMatch(/INVALID_OPTION.*hs_task_priority.*INVALID_OPTION.*hs_task_type/);
    expect(badAssociation.body.message).toContain('999999999');
    expect(sandbox.tasks()).toHaveLength(before); // a refused batch creates nothing
  });

  it('gives every task of a refused batch the error through the connector, other batches go through', async () => {
    const connector = connect();
    const inputs = [...Array.from({ length: 100 }, (_, i) => task(i)), task(100, { key: 'bad', contactId: '999999999' }), task(101)];

    const results = await connector.createTasks(inputs);

    expect(sandbox.calls()).toBe(2);
    expect(results.slice(0, 100).every((r) => r.id)).toBe(true);
    expect(results.slice(100).map((r) => r.error?.code)).toEqual(['VALIDATION_ERROR', 'VALIDATION_ERROR']);
  });

  it('updates companies 100 per call, refuses unknown properties with PROPERTY_DOESNT_EXIST', async () => {
    const connector = connect();
    const companies = sandbox.portal.companies.filter((c) => c.archivedMs === null).slice(0, 150);
    const updates = companies.map((c, i) => ({ id: c.id, properties: { nps_relational: String(i - 50), arr: '123456' } }));

    const results = await connector.updateCompanies(updates);

    expect(sandbox.calls()).toBe(2);
    expect(results).toEqual(updates.map((u) => ({ key: u.id, id: u.id })));
    expect(sandbox.writes.companyCustom.get(companies[7].id)).toEqual({ nps_relational: '-43' });
    expect(companies[7].arr).toBe('123456');

    const refused = await connector.updateCompanies([{ id: companies[0].id, properties: { no_such_property: 'x' } }]);
    expect(refused[0].error?.code).toBe('VALIDATION_ERROR');
    expect(refused[0].error?.message).toMatch(/PROPERTY_DOESNT_EXIST.*no_such_property/);
    const raw = await post('/crm/v3/objects/companies/batch/update', { inputs: [{ id: companies[0].id, properties: { no_such_property: 'x' } }] });
    expect(raw.status).toBe(400);

    const missing = await connector.updateCompanies([{ id: '1', properties: { nps_relational: '1' } }, updates[0]]);
    expect(missing[0]).toEqual({ key: '1', error: { code: 'OBJECT_NOT_FOUND', message: expect.stringContaining('Could not get some COMPANY') } });
    expect(missing[1]).toEqual({ key: updates[0].id, id: updates[0].id });
  });

  it('reads back a task completed in HubSpot, and only what changed since', async () => {
    const connector = connect();
    const [created] = await connector.createTasks([task(5, { key: 'to-complete', priority: 'MEDIUM' })]);
    const all = (await readAll(connector, null)).flat();
    expect(all.find((t) => t.id === created.id)).toMatchObject({ status: 'NOT_STARTED', completedAt: null });
    const since = new Date(Math.max(...all.map((t) => Date.parse(t.modifiedAt))) + 1).toISOString();
    expect(await readAll(connector, since)).toEqual([]);

    sandbox.completeTask(created.id!);
    sandbox.resetCalls();
    const changed = (await readAll(connector, since)).flat();

    expect(sandbox.calls()).toBe(1);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toEqual({ id: created.id, status: 'COMPLETED', completedAt: expect.any(String), modifiedAt: changed[0].completedAt });
    expect(Date.parse(changed[0].modifiedAt)).toBeGreaterThanOrEqual(Date.parse(since));
  });

  it('pages readTasks 200 at a time, oldest first', async () => {
    const connector = connect();
    const total = sandbox.tasks().length;
    const pages = await readAll(connector, null);
    expect(pages.map((p) => p.length)).toEqual([...Array(Math.floor(total / 200)).fill(200), ...(total % 200 ? [total % 200] : [])]);
    const times = pages.flat().map((t) => Date.parse(t.modifiedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(waits.filter((w) => w >= 10_000)).toEqual([]);
  });
});
