import nock from 'nock';
import { CrmTaskInput, VendorError } from '@connectors/core/src';
import { HubSpotConnector } from './hubspot-connector';
import { hubspotConnector } from './index';

const HS = 'https://api.hubapi.com';
const CREATE = '/crm/v3/objects/tasks/batch/create';
const TEN_SECONDLY = {
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c1',
  policyName: 'TEN_SECONDLY_ROLLING',
};
const UNAVAILABLE = { status: 'error', message: 'Service Unavailable', category: 'SERVICE_UNAVAILABLE' };
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

const task = (i: number, overrides: Partial<CrmTaskInput> = {}): CrmTaskInput => ({
  key: `resp-${i}`,
  accountExternalId: `${5000 + i}`,
  contactExternalId: `${1000 + i}`,
  ownerExternalId: '77',
  due: DUE,
  priority: 'high',
  subject: `NPS detractor: call #${i}`,
  description: `Score 3 (detractor) #${i}`,
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
    { to: { id: `${5000 + i}` }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] },
    { to: { id: `${1000 + i}` }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] },
  ],
});

type Inputs = { inputs: Array<{ objectWriteTraceId: string; properties: Record<string, string>; associations: unknown[] }> };
const idOf = (trace: string) => String(9000 + Number(trace.slice(5)));
/** A 201 batch answer: ids 9000+n, echoing trace ids unless told not to, in the order given. */
const created = (body: Inputs, echo = true, reverse = false) => {
  const results = body.inputs.map((input) => ({
    id: idOf(input.objectWriteTraceId),
    properties: {},
    createdAt: '2026-03-01T00:00:00Z',
    updatedAt: '2026-03-01T00:00:00Z',
    archived: false,
    ...(echo ? { objectWriteTraceId: input.objectWriteTraceId } : {}),
  }));
  return { status: 'COMPLETE', results: reverse ? results.reverse() : results, startedAt: '2026-03-01T00:00:00Z', completedAt: '2026-03-01T00:00:01Z' };
};
const ok = (i: number) => ({ key: `resp-${i}`, externalId: String(9000 + i) });

describe('HubSpot createTasks (nock)', () => {
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
    expect(results).toEqual(tasks.map((_, i) => ok(i)));
    expect(connector.apiCalls()).toBe(3);
  });

  it('maps priorities, omits a null owner, associates the company only when there is no contact', async () => {
    let sent: Inputs | undefined;
    nock(HS)
      .post(CREATE)
      .reply(201, (_uri, body) => ((sent = body as Inputs), created(body as Inputs, false)));
    const { connector } = connect();

    const results = await connector.createTasks([
      task(1, { ownerExternalId: null, priority: 'low', contactExternalId: null }),
      task(2, { priority: 'normal' }),
      task(3, { priority: 'high' }),
    ]);

    expect(results).toEqual([ok(1), ok(2), ok(3)]); // by position: HubSpot echoed no trace ids
    const [low, normal, high] = sent!.inputs;
    expect(low.properties).not.toHaveProperty('hubspot_owner_id');
    expect(low.properties).toMatchObject({ hs_task_priority: 'LOW', hs_task_type: 'TODO' });
    expect(low.associations).toEqual([{ to: { id: '5001' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] }]);
    expect(normal.properties).toMatchObject({ hs_task_priority: 'MEDIUM', hs_task_type: 'TODO', hubspot_owner_id: '77' });
    expect(normal.associations).toHaveLength(2);
    expect(high.properties).toMatchObject({ hs_task_priority: 'HIGH', hs_task_type: 'CALL' });
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
    expect(results).toEqual([ok(0), ok(1)]);
    expect(connector.apiCalls()).toBe(2);
  });

  it('never resends a create after a 503 (it may have written): outcomeUnknown, later batches NOT_SENT', async () => {
    const scope = nock(HS)
      .post(CREATE)
      .reply(201, (_uri, body) => created(body as Inputs))
      .post(CREATE)
      .reply(503, UNAVAILABLE);
    const { connector, waits } = connect();

    const results = await connector.createTasks(Array.from({ length: 250 }, (_, i) => task(i)));

    scope.done();
    expect(waits).toEqual([]);
    expect(connector.apiCalls()).toBe(2);
    expect(results.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => ok(i)));
    expect(results[100]).toEqual({ key: 'resp-100', error: { code: 'OUTCOME_UNKNOWN', message: 'Service Unavailable', outcomeUnknown: true } });
    expect(new Set(results.slice(100, 200).map((r) => r.error?.code))).toEqual(new Set(['OUTCOME_UNKNOWN']));
    expect(results[200]).toEqual({ key: 'resp-200', error: { code: 'NOT_SENT', message: 'not sent: Service Unavailable' } });
    expect(results.slice(200).every((r) => r.error?.code === 'NOT_SENT' && !r.error.outcomeUnknown && !r.error.permanent)).toBe(true);
  });

  it('gives 207 per-record errors to their keys as permanent refusals', async () => {
    nock(HS)
      .post(CREATE)
      .reply(207, (_uri, body) => {
        const { inputs } = body as Inputs;
        const answer = created({ inputs: inputs.filter((input) => input.objectWriteTraceId !== 'resp-1') });
        const message = 'Property values were not valid: [{"isValid":false,"message":"3 is not a valid owner id","error":"INVALID_OWNER_ID","name":"hubspot_owner_id"}]';
        return { ...answer, numErrors: 1, errors: [{ status: 'error', category: 'VALIDATION_ERROR', message, context: { objectWriteTraceId: ['resp-1'] } }] };
      });
    const { connector } = connect();

    const results = await connector.createTasks([task(0), task(1), task(2)]);

    expect(results).toEqual([ok(0), { key: 'resp-1', error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('INVALID_OWNER_ID'), permanent: true } }, ok(2)]);
  });

  it('isolates the task a whole-batch 400 is about by halving, and creates the rest', async () => {
    const badCompany = { status: 'error', message: 'No company with ID 5006 exists to associate with.', correlationId: 'c4', category: 'VALIDATION_ERROR' };
    const sizes: number[] = [];
    nock(HS)
      .post(CREATE)
      .times(20)
      .reply((_uri, body) => {
        const { inputs } = body as Inputs;
        sizes.push(inputs.length);
        return inputs.some((input) => input.objectWriteTraceId === 'resp-6') ? [400, badCompany] : [201, created(body as Inputs)];
      });
    const { connector } = connect();

    const results = await connector.createTasks(Array.from({ length: 8 }, (_, i) => task(i)));

    // 8 (refused) → 0-3 created, 4-7 (refused) → 4-5 created, 6-7 (refused) → 6 refused alone, 7 created
    expect(sizes).toEqual([8, 4, 4, 2, 2, 1, 1]);
    expect(results[6]).toEqual({ key: 'resp-6', error: { code: 'VALIDATION_ERROR', message: badCompany.message, permanent: true } });
    expect(results.filter((r) => r.externalId).map((r) => r.key)).toEqual(['resp-0', 'resp-1', 'resp-2', 'resp-3', 'resp-4', 'resp-5', 'resp-7']);
  });

  it('drops the records a 400 quotes by value and resends the others at once', async () => {
    const sizes: number[] = [];
    const refused =
      'Property values were not valid: [{"isValid":false,"message":"66 is not a valid owner id","error":"INVALID_OWNER_ID","name":"hubspot_owner_id","propertyValue":"66"}]';
    nock(HS)
      .post(CREATE)
      .times(2)
      .reply((_uri, body) => {
        const { inputs } = body as Inputs;
        sizes.push(inputs.length);
        const bad = inputs.some((input) => input.properties.hubspot_owner_id === '66');
        return bad ? [400, { status: 'error', message: refused, category: 'VALIDATION_ERROR' }] : [201, created(body as Inputs)];
      });
    const { connector } = connect();

    const results = await connector.createTasks(Array.from({ length: 10 }, (_, i) => task(i, i % 3 === 0 ? { ownerExternalId: '66' } : {})));

    expect(sizes).toEqual([10, 6]);
    expect(results.filter((r) => r.error?.permanent).map((r) => r.key)).toEqual(['resp-0', 'resp-3', 'resp-6', 'resp-9']);
    expect(results.filter((r) => r.externalId)).toHaveLength(6);
  });

  it('throws an auth failure before anything was written, and sends nothing after it', async () => {
    const scope = nock(HS).post(CREATE).reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' });
    const { connector } = connect();

    const failure = await connector.createTasks(Array.from({ length: 150 }, (_, i) => task(i))).catch((e: unknown) => e);

    scope.done();
    expect(failure).toBeInstanceOf(VendorError);
    expect(failure).toMatchObject({ kind: 'auth', details: { status: 401, code: 'INVALID_AUTHENTICATION' } });
    expect(connector.apiCalls()).toBe(1);
  });

  it('returns the ids already created when auth fails on a later batch, instead of throwing them away', async () => {
    nock(HS)
      .post(CREATE)
      .reply(201, (_uri, body) => created(body as Inputs))
      .post(CREATE)
      .reply(401, { status: 'error', message: 'The access token was revoked.', category: 'INVALID_AUTHENTICATION' });
    const { connector } = connect();

    const results = await connector.createTasks(Array.from({ length: 150 }, (_, i) => task(i)));

    expect(results[99]).toEqual(ok(99));
    expect(results[100]).toEqual({ key: 'resp-100', error: { code: 'INVALID_AUTHENTICATION', message: 'The access token was revoked.' } });
  });

  it('refuses duplicate keys, and refuses tasks HubSpot could not take without sending them', async () => {
    const { connector } = connect();
    await expect(connector.createTasks([task(1), task(1)])).rejects.toThrow(/appears twice/);

    const results = await connector.createTasks([task(1, { due: new Date('nope') }), task(2, { accountExternalId: 'acme' })]);

    expect(results).toEqual([
      { key: 'resp-1', error: { code: 'INVALID_INPUT', message: 'due is not a valid date', permanent: true } },
      { key: 'resp-2', error: { code: 'INVALID_INPUT', message: 'company id "acme" is not a HubSpot id', permanent: true } },
    ]);
    expect(connector.apiCalls()).toBe(0);
  });
});
