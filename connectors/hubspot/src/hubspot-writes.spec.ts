import nock from 'nock';
import { HubSpotConnector } from './hubspot-connector';
import { HubSpotTaskInput } from './hubspot-writes';
import { hubspotConnector } from './index';

const HS = 'https://api.hubapi.com';
const CREATE = '/crm/v3/objects/tasks/batch/create';
const UPDATE = '/crm/v3/objects/companies/batch/update';
const TEN_SECONDLY = { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: 'c1', policyName: 'TEN_SECONDLY_ROLLING' };
const DUE = new Date('2026-03-02T09:00:00.000Z');

function connect() {
  const waits: number[] = [];
  const connector = hubspotConnector.create({
    credentials: { authType: 'private_app', accessToken: 'pat-na1-test' },
    settings: hubspotConnector.withDefaults(undefined),
    sleep: async (ms) => void waits.push(ms),
  }) as HubSpotConnector;
  return { connector, waits };
}

const task = (i: number, overrides: Partial<HubSpotTaskInput> = {}): HubSpotTaskInput => ({
  key: `resp-${i}`,
  contactId: `${1000 + i}`,
  companyId: `${5000 + i}`,
  ownerId: '77',
  dueAt: DUE,
  priority: 'HIGH',
  subject: `NPS detractor: call #${i}`,
  body: `Score 3 (detractor) #${i}`,
  ...overrides,
});

/** The exact input HubSpot must receive for task(i). */
const expectedInput = (i: number) => ({
  objectWriteTraceId: `resp-${i}`,
  properties: {
    hs_timestamp: '2026-03-02T09:00:00.000Z',
    hs_task_subject: `NPS detractor: call #${i}`,
    hs_task_body: `Score 3 (detractor) #${i}`,
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: 'HIGH',
    hs_task_type: 'CALL',
    hubspot_owner_id: '77',
  },
  associations: [
    { to: { id: `${1000 + i}` }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] },
    { to: { id: `${5000 + i}` }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] },
  ],
});

type Inputs = { inputs: Array<{ objectWriteTraceId?: string; id?: string }> };
/** A 201 batch answer: ids 9000+n, echoing trace ids unless told not to, in the order given. */
const created = (body: Inputs, echo = true, reverse = false) => {
  const results = body.inputs.map((input) => ({
    id: String(9000 + Number(input.objectWriteTraceId!.slice(5))),
    properties: {},
    createdAt: '2026-03-01T00:00:00Z',
    updatedAt: '2026-03-01T00:00:00Z',
    archived: false,
    ...(echo ? { objectWriteTraceId: input.objectWriteTraceId } : {}),
  }));
  return { status: 'COMPLETE', results: reverse ? results.reverse() : results, startedAt: '2026-03-01T00:00:00Z', completedAt: '2026-03-01T00:00:01Z' };
};

describe('HubSpot writes (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('creates 250 tasks in exactly 3 calls of 100/100/50 with the exact body, results by key', async () => {
    const bodies: Inputs[] = [];
    const scope = nock(HS)
      .post(CREATE)
      .times(3)
      .reply(201, (_uri, body) => {
        bodies.push(body as Inputs);
        // Batch 2 answers in reverse order: the echoed trace ids still match each key.
        return created(body as Inputs, true, bodies.length === 2);
      });
    const { connector } = connect();
    const tasks = Array.from({ length: 250 }, (_, i) => task(i));

    const results = await connector.createTasks(tasks);

    scope.done();
    expect(bodies.map((b) => b.inputs.length)).toEqual([100, 100, 50]);
    expect(bodies[0]).toEqual({ inputs: Array.from({ length: 100 }, (_, i) => expectedInput(i)) });
    expect(bodies[2]).toEqual({ inputs: Array.from({ length: 50 }, (_, i) => expectedInput(200 + i)) });
    expect(results).toEqual(tasks.map((t, i) => ({ key: t.key, id: String(9000 + i) })));
    expect(connector.apiCalls()).toBe(3);
  });

  it('maps by position when HubSpot does not echo trace ids; omits a null owner; TODO below HIGH', async () => {
    let sent: Inputs | undefined;
    nock(HS)
      .post(CREATE)
      .reply(201, (_uri, body) => ((sent = body as Inputs), created(body as Inputs, false)));
    const { connector } = connect();

    const results = await connector.createTasks([task(1, { ownerId: null, priority: 'LOW' }), task(2, { priority: 'MEDIUM', type: 'CALL' })]);

    expect(results).toEqual([{ key: 'resp-1', id: '9001' }, { key: 'resp-2', id: '9002' }]);
    const [first, second] = sent!.inputs as unknown as Array<{ properties: Record<string, string> }>;
    expect(first.properties).not.toHaveProperty('hubspot_owner_id');
    expect(first.properties).toMatchObject({ hs_task_priority: 'LOW', hs_task_type: 'TODO' });
    expect(second.properties).toMatchObject({ hs_task_priority: 'MEDIUM', hs_task_type: 'CALL' });
  });

  it('backs off at least 10 s on a TEN_SECONDLY_ROLLING 429, then resumes and creates once', async () => {
    const scope = nock(HS)
      .post(CREATE)
      .reply(429, TEN_SECONDLY)
      .post(CREATE)
      .reply(201, (_uri, body) => created(body as Inputs));
    const { connector, waits } = connect();

    const results = await connector.createTasks([task(0), task(1)]);

    scope.done();
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(10_000);
    expect(results.map((r) => r.id)).toEqual(['9000', '9001']);
    expect(connector.apiCalls()).toBe(2);
  });

  it('does not resend a create after a 503 (it may have written): OUTCOME_UNKNOWN, later batches NOT_SENT', async () => {
    const scope = nock(HS)
      .post(CREATE)
      .reply(201, (_uri, body) => created(body as Inputs))
      .post(CREATE)
      .reply(503, { status: 'error', message: 'Service Unavailable', category: 'SERVICE_UNAVAILABLE' });
    const { connector, waits } = connect();

    const results = await connector.createTasks(Array.from({ length: 250 }, (_, i) => task(i)));

    scope.done();
    expect(waits).toEqual([]);
    expect(results.slice(0, 100).every((r) => r.id !== undefined)).toBe(true);
    expect(new Set(results.slice(100, 200).map((r) => r.error?.code))).toEqual(new Set(['OUTCOME_UNKNOWN']));
    expect(new Set(results.slice(200).map((r) => r.error?.code))).toEqual(new Set(['NOT_SENT']));
  });

  it('gives a refused batch (400) its error and still sends the next batch', async () => {
    const invalid = { status: 'error', message: 'Property values were not valid: [...]', correlationId: 'c4', category: 'VALIDATION_ERROR' };
    nock(HS)
      .post(CREATE)
      .reply(400, invalid)
      .post(CREATE)
      .reply(201, (_uri, body) => created(body as Inputs));
    const { connector } = connect();

    const results = await connector.createTasks(Array.from({ length: 101 }, (_, i) => task(i)));

    expect(results.slice(0, 100).every((r) => r.error?.code === 'VALIDATION_ERROR' && r.error.message.startsWith('Property values'))).toBe(true);
    expect(results[100]).toEqual({ key: 'resp-100', id: '9100' });
  });

  it('refuses duplicate keys before calling HubSpot', async () => {
    const { connector } = connect();
    await expect(connector.createTasks([task(1), task(1)])).rejects.toThrow(/appears twice/);
    expect(connector.apiCalls()).toBe(0);
  });

  it('updates 250 companies in 100/100/50, retrying a 429, with 207 errors mapped by id', async () => {
    const bodies: Array<{ inputs: Array<{ id: string; properties: Record<string, string> }> }> = [];
    const answer = (_uri: string, body: unknown) => {
      const b = body as (typeof bodies)[number];
      bodies.push(b);
      const [missing, ...rest] = b.inputs;
      return [
        207,
        {
          status: 'COMPLETE',
          results: rest.map((i) => ({ id: i.id, properties: i.properties, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-03-01T00:00:00Z', archived: false })),
          numErrors: 1,
          errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some COMPANY objects', context: { ids: [missing.id] } }],
          startedAt: '2026-03-01T00:00:00Z',
          completedAt: '2026-03-01T00:00:01Z',
        },
      ] as [number, unknown];
    };
    const scope = nock(HS).post(UPDATE).reply(429, TEN_SECONDLY).post(UPDATE).times(3).reply(answer);
    const { connector, waits } = connect();
    const updates = Array.from({ length: 250 }, (_, i) => ({ id: String(5000 + i), properties: { nps_relational: String(i % 100) } }));

    const results = await connector.updateCompanies(updates);

    scope.done();
    expect(waits).toHaveLength(1);
    expect(bodies.map((b) => b.inputs.length)).toEqual([100, 100, 50]);
    expect(bodies[2]).toEqual({ inputs: updates.slice(200) });
    expect(results.map((r) => r.key)).toEqual(updates.map((u) => u.id));
    const failed = results.filter((r) => r.error).map((r) => r.key);
    expect(failed).toEqual(['5000', '5100', '5200']);
    expect(results[1]).toEqual({ key: '5001', id: '5001' });
  });

  it('reads tasks with one search on hs_lastmodifieddate GTE since, ascending, 200 a page', async () => {
    const since = '2026-03-01T00:00:00.000Z';
    let request: Record<string, unknown> | undefined;
    nock(HS)
      .post('/crm/v3/objects/tasks/search')
      .reply(200, (_uri, body) => {
        request = body as Record<string, unknown>;
        return {
          total: 2,
          results: [
            { id: '1', properties: { hs_task_status: 'NOT_STARTED', hs_lastmodifieddate: '2026-03-01T10:00:00Z' }, createdAt: since, updatedAt: since, archived: false },
            { id: '2', properties: { hs_task_status: 'COMPLETED', hs_task_completion_date: '1772362800000', hs_lastmodifieddate: '2026-03-01T11:00:00Z' }, createdAt: since, updatedAt: since, archived: false },
          ],
        };
      });
    const { connector } = connect();

    const pages = [];
    for await (const page of connector.readTasks(since)) pages.push(page);

    expect(request).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Date.parse(since)) }] }],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['hs_task_status', 'hs_task_completion_date', 'hs_lastmodifieddate'],
      limit: 200,
    });
    expect(pages).toEqual([
      [
        { id: '1', status: 'NOT_STARTED', completedAt: null, modifiedAt: '2026-03-01T10:00:00.000Z' },
        { id: '2', status: 'COMPLETED', completedAt: new Date(1772362800000).toISOString(), modifiedAt: '2026-03-01T11:00:00.000Z' },
      ],
    ]);
  });
});
