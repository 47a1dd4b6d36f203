import { createHubSpotSandbox, HubSpotSandbox } from './index';
import { listenSandbox, ListeningSandbox } from '../kit/sandbox';

interface Answer {
  status: number;
  /** Raw JSON under test. */
  body: any;
}

/** A raw HTTP client: what HubSpot would see from anyone, not our connector. */
function client(base: string, token?: string) {
  const send = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  };
  return { get: (path: string) => send('GET', path), post: (path: string, body: unknown) => send('POST', path, body) };
}

/** The list HubSpot JSON-encodes inside a "Property values were not valid" message. */
const details = (answer: Answer) => JSON.parse(String(answer.body.message).replace(/^Property values were not valid: /, ''));

const numberProperty = { name: 'nps_relational', label: 'NPS (relational)', groupName: 'nps_bridge', type: 'number', fieldType: 'number' };
const sentimentProperty = {
  name: 'nps_sentiment',
  label: 'NPS sentiment',
  groupName: 'nps_bridge',
  type: 'enumeration',
  fieldType: 'select',
  options: ['promoter', 'passive', 'detractor'].map((value, i) => ({ label: value, value, displayOrder: i, hidden: false })),
};

describe('HubSpot sandbox: writes, properties and test controls', () => {
  let sandbox: HubSpotSandbox;
  let server: ListeningSandbox;
  let api: ReturnType<typeof client>;
  const control = () => client(server.url);

  beforeAll(async () => {
    sandbox = createHubSpotSandbox({ companies: 30, contactsPerCompany: 2, requestsPer10s: 10_000, searchPerSecond: 100 });
    server = await listenSandbox(sandbox);
    api = client(server.url, sandbox.privateAppToken);
  });
  afterAll(() => server.close());

  const company = (i: number) => sandbox.portal.companies[i];

  it('refuses invalid company values in one 400 shaped like HubSpot’s, and writes nothing', async () => {
    const before = sandbox.companyProperties(company(0).id);
    const answer = await api.post('/crm/v3/objects/companies/batch/update', {
      inputs: [
        { id: company(0).id, properties: { nps_relational: '5', tier: 'Gold' } },
        { id: company(1).id, properties: { arr: '1.5e5', renewal_date: '2026-02-30', customer_since: String(Date.UTC(2024, 0, 1) + 3_600_000), hs_object_id: '1' } },
      ],
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    expect(details(answer)).toEqual([
      {
        isValid: false,
        error: 'PROPERTY_DOESNT_EXIST',
        name: 'nps_relational',
        message: 'Property "nps_relational" does not exist',
        localizedErrorMessage: 'Property "nps_relational" does not exist',
      },
      expect.objectContaining({
        error: 'INVALID_OPTION',
        name: 'tier',
        propertyValue: 'Gold',
        message: 'Gold was not one of the allowed options: [Enterprise, Mid-Market, SMB, Strategic]',
      }),
      expect.objectContaining({ error: 'INVALID_INTEGER', name: 'arr', propertyValue: '1.5e5', message: '1.5e5 was not a valid number.' }),
      expect.objectContaining({ error: 'INVALID_DATE', name: 'renewal_date', propertyValue: '2026-02-30' }),
      expect.objectContaining({ error: 'INVALID_DATE', name: 'customer_since', message: expect.stringContaining('not at midnight UTC') }),
      expect.objectContaining({ error: 'READ_ONLY_VALUE', name: 'hs_object_id' }),
    ]);
    expect(answer.body.errors[0]).toEqual({ message: 'Property "nps_relational" does not exist', code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['nps_relational'] } });
    expect(sandbox.companyProperties(company(0).id)).toEqual(before);
  });

  it('applies batch limits: 100 inputs, unique ids; unknown ids come back as 207 OBJECT_NOT_FOUND', async () => {
    const tooMany = await api.post('/crm/v3/objects/contacts/batch/update', { inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i), properties: {} })) });
    expect(tooMany).toEqual({
      status: 400,
      body: expect.objectContaining({
        message: 'The maximum number of inputs supported in a batch is 100. Please reduce the number of items and try again',
        category: 'VALIDATION_ERROR',
      }),
    });
    const twice = await api.post('/crm/v3/objects/companies/batch/update', {
      inputs: [
        { id: company(0).id, properties: {} },
        { id: company(0).id, properties: {} },
      ],
    });
    expect(twice.status).toBe(400);

    const contact = sandbox.portal.contacts[0];
    const partial = await api.post('/crm/v3/objects/contacts/batch/update', {
      inputs: [
        { id: '42', properties: { firstname: 'Zed' } },
        { id: contact.id, properties: { firstname: 'Ana', lastname: '' } },
      ],
    });
    expect(partial.status).toBe(207);
    expect(partial.body.errors).toEqual([expect.objectContaining({ category: 'OBJECT_NOT_FOUND', context: { ids: ['42'] }, message: expect.stringContaining('CONTACT objects') })]);
    expect(partial.body.results).toEqual([expect.objectContaining({ id: contact.id, properties: expect.objectContaining({ firstname: 'Ana', lastname: '' }) })]);
    expect(sandbox.contactProperties(contact.id)).toMatchObject({ firstname: 'Ana', lastname: null });
  });

  it('creates groups and properties like HubSpot: validated, duplicates refused, then writable and readable', async () => {
    const missingGroup = await api.post('/crm/v3/properties/companies/batch/create', { inputs: [numberProperty] });
    expect(missingGroup).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR', message: 'inputs[0]: Property group "nps_bridge" does not exist' } });

    expect((await api.post('/crm/v3/properties/companies/groups', { name: 'nps_bridge', label: 'NPS Bridge', displayOrder: -1 })).status).toBe(201);
    expect((await api.post('/crm/v3/properties/companies/groups', { name: 'nps_bridge', label: 'NPS Bridge' })).status).toBe(409);
    const groups = await api.get('/crm/v3/properties/companies/groups');
    expect(groups.body.results.map((g: { name: string }) => g.name)).toContain('nps_bridge');

    const invalid = [
      [{ ...numberProperty, label: undefined }, 'label is required'],
      [{ ...numberProperty, fieldType: 'select' }, 'fieldType "select" is not valid for type number'],
      [{ ...sentimentProperty, options: [] }, 'needs at least one option'],
      [{ ...numberProperty, name: 'NPS Relational' }, 'is not a valid property name'],
      [{ ...numberProperty, type: 'integer' }, '"integer" is not a valid property type'],
    ] as const;
    for (const [input, message] of invalid) {
      const refused = await api.post('/crm/v3/properties/companies/batch/create', { inputs: [sentimentProperty, input] });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain(`inputs[1]: `);
      expect(refused.body.message).toContain(message);
    }
    expect((await api.get('/crm/v3/properties/companies')).body.results.map((p: { name: string }) => p.name)).not.toContain('nps_sentiment');

    const made = await api.post('/crm/v3/properties/companies/batch/create', { inputs: [numberProperty, sentimentProperty] });
    expect(made.status).toBe(201);
    expect(made.body.results.map((p: { name: string; type: string }) => [p.name, p.type])).toEqual([
      ['nps_relational', 'number'],
      ['nps_sentiment', 'enumeration'],
    ]);
    const again = await api.post('/crm/v3/properties/companies/batch/create', { inputs: [numberProperty] });
    expect(again.status).toBe(207);
    expect(again.body.errors).toEqual([expect.objectContaining({ category: 'OBJECT_ALREADY_EXISTS', context: { name: ['nps_relational'] } })]);
    expect((await api.post('/crm/v3/properties/companies', numberProperty)).status).toBe(409);

    const written = await api.post('/crm/v3/objects/companies/batch/update', {
      inputs: [{ id: company(2).id, properties: { nps_relational: '-20', nps_sentiment: 'detractor' } }],
    });
    expect(written.status).toBe(200);
    const badOption = await api.post('/crm/v3/objects/companies/batch/update', { inputs: [{ id: company(2).id, properties: { nps_sentiment: 'happy' } }] });
    expect(details(badOption)[0]).toMatchObject({ error: 'INVALID_OPTION', name: 'nps_sentiment', propertyValue: 'happy' });
    const listed = await api.get(`/crm/v3/objects/companies?limit=100&properties=nps_relational,nps_sentiment`);
    expect(listed.body.results.find((r: { id: string }) => r.id === company(2).id).properties).toEqual({ nps_relational: '-20', nps_sentiment: 'detractor' });
    expect(sandbox.companyProperties(company(2).id)).toMatchObject({ nps_relational: '-20', nps_sentiment: 'detractor' });
    const inspected = await control().get(`/_sandbox/companies/${company(2).id}`);
    expect(inspected.body.properties).toMatchObject({ nps_relational: '-20', name: company(2).name });
  });

  it('refuses property definitions with 403 MISSING_SCOPES while access is off; values stay writable', async () => {
    await control().post('/_sandbox/mutate', { action: 'setPropertyAccess', allowed: false });
    try {
      for (const [path, body] of [
        ['/crm/v3/properties/contacts/groups', { name: 'nps_bridge', label: 'NPS Bridge' }],
        ['/crm/v3/properties/contacts/batch/create', { inputs: [numberProperty] }],
        ['/crm/v3/properties/contacts', numberProperty],
      ] as const) {
        const refused = await api.post(path, body);
        expect(refused.status).toBe(403);
        expect(refused.body).toMatchObject({ status: 'error', category: 'MISSING_SCOPES', errors: [{ context: { requiredGranularScopes: ['crm.schemas.contacts.write'] } }] });
      }
      expect((await api.get('/crm/v3/properties/contacts')).status).toBe(200);
      expect((await api.post('/crm/v3/objects/companies/batch/update', { inputs: [{ id: company(3).id, properties: { nps_relational: '7' } }] })).status).toBe(200);
    } finally {
      await control().post('/_sandbox/mutate', { action: 'setPropertyAccess', allowed: true });
    }
    expect((await api.post('/crm/v3/properties/contacts/groups', { name: 'nps_bridge', label: 'NPS Bridge' })).status).toBe(201);
  });

  it('answers every authenticated request 503 during an outage, and recovers when it ends', async () => {
    await control().post('/_sandbox/mutate', { action: 'outage', on: true });
    const during = [await api.get('/crm/v3/owners'), await api.post('/crm/v3/objects/tasks/search', {}), await api.post('/crm/v3/objects/companies/batch/update', { inputs: [] })];
    expect(during.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(during[0].body).toMatchObject({ status: 'error', category: 'SERVICE_UNAVAILABLE' });
    await control().post('/_sandbox/mutate', { action: 'outage', on: false });
    expect((await api.get('/crm/v3/owners')).status).toBe(200);
  });

  it('creates the tasks and then answers 503 after failAfterWrite; per-record 207 for traced invalid tasks', async () => {
    const input = (trace: string | undefined, properties: Record<string, string> = {}) => ({
      ...(trace ? { objectWriteTraceId: trace } : {}),
      properties: { hs_timestamp: '2026-03-02T09:00:00Z', hs_task_subject: `NPS ${trace}`, hs_task_priority: 'HIGH', ...properties },
      associations: [{ to: { id: company(4).id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] }],
    });
    const before = sandbox.tasks().length;
    sandbox.resetCalls();
    await control().post('/_sandbox/mutate', { action: 'failAfterWrite', count: 1 });

    const lost = await api.post('/crm/v3/objects/tasks/batch/create', { inputs: [input('a'), input('b')] });
    const fine = await api.post('/crm/v3/objects/tasks/batch/create', { inputs: [input('c')] });
    const mixed = await api.post('/crm/v3/objects/tasks/batch/create', { inputs: [input('d'), input('e', { hs_task_priority: 'URGENT' })] });
    const untraced = await api.post('/crm/v3/objects/tasks/batch/create', { inputs: [input(undefined), input(undefined, { hs_task_priority: 'URGENT' })] });
    // reads sent as POST are not writes
    await api.post('/crm/v4/associations/companies/contacts/batch/read', { inputs: [{ id: company(4).id }] });
    await api.post('/crm/v3/objects/tasks/search', {});

    expect(lost.status).toBe(503);
    expect(fine.status).toBe(201);
    expect(mixed.status).toBe(207);
    expect(mixed.body.results.map((r: { objectWriteTraceId: string }) => r.objectWriteTraceId)).toEqual(['d']);
    expect(mixed.body.errors).toEqual([
      expect.objectContaining({ category: 'VALIDATION_ERROR', context: { objectWriteTraceId: ['e'] }, message: expect.stringContaining('INVALID_OPTION') }),
    ]);
    expect(untraced.status).toBe(400);
    expect(
      sandbox
        .tasks()
        .slice(before)
        .map((t) => t.subject),
    ).toEqual(['NPS a', 'NPS b', 'NPS c', 'NPS d']);
    expect(sandbox.tasks()[before]).toMatchObject({
      companyIds: [company(4).id],
      contactIds: [],
      priority: 'HIGH',
      dueAt: '2026-03-02T09:00:00.000Z',
      status: 'NOT_STARTED',
      ownerId: null,
    });
    expect(sandbox.writeCalls()).toEqual([
      { method: 'POST', path: '/crm/v3/objects/tasks/batch/create', inputs: 2, status: 503 },
      { method: 'POST', path: '/crm/v3/objects/tasks/batch/create', inputs: 1, status: 201 },
      { method: 'POST', path: '/crm/v3/objects/tasks/batch/create', inputs: 2, status: 207 },
      { method: 'POST', path: '/crm/v3/objects/tasks/batch/create', inputs: 2, status: 400 },
    ]);
    expect((await control().get('/_sandbox/writes')).body.results).toHaveLength(4);
    expect((await control().get('/_sandbox/tasks')).body.results).toHaveLength(sandbox.tasks().length);
  });

  it('searches tasks by creation time and by the subject’s words', async () => {
    const since = Date.now() - 60_000;
    const search = (filters: unknown[]) =>
      api.post('/crm/v3/objects/tasks/search', {
        filterGroups: [{ filters }],
        sorts: [{ propertyName: 'hs_createdate', direction: 'ASCENDING' }],
        properties: ['hs_task_subject'],
        limit: 200,
      });
    const nps = await search([
      { propertyName: 'hs_createdate', operator: 'GTE', value: String(since) },
      { propertyName: 'hs_task_subject', operator: 'CONTAINS_TOKEN', value: 'nps' },
    ]);
    expect(nps.body.results.map((r: { properties: { hs_task_subject: string } }) => r.properties.hs_task_subject)).toEqual(['NPS a', 'NPS b', 'NPS c', 'NPS d']);
    const none = await search([{ propertyName: 'hs_task_subject', operator: 'CONTAINS_TOKEN', value: 'NP' }]);
    expect(none.body.total).toBe(0);
    expect((await search([{ propertyName: 'hs_task_body', operator: 'EQ', value: 'x' }])).status).toBe(400);
  });

  it('counts records holding an nps_bridge value, and can start with the NPS properties defined', async () => {
    expect((await control().get('/_sandbox/writeback-counts')).body).toEqual({ tasks: sandbox.tasks().length, accounts: 2, contacts: 0 });

    const ready = createHubSpotSandbox({ companies: 3, npsFields: true });
    const companies = ready.schema.properties('companies').filter((p) => p.groupName === 'nps_bridge');
    const contacts = ready.schema.properties('contacts').filter((p) => p.groupName === 'nps_bridge');
    expect(companies.map((p) => p.name)).toEqual([
      'nps_relational',
      'nps_decision_maker',
      'nps_end_user',
      'nps_role_gap',
      'nps_responses_12m',
      'nps_last_response_date',
      'nps_sentiment',
      'nps_health_quadrant',
    ]);
    expect(contacts).toHaveLength(8);
    expect(ready.schema.property('companies', 'nps_health_quadrant')?.options.map((o) => o.value)).toContain('churn_risk');
    expect(createHubSpotSandbox({ companies: 3 }).schema.property('companies', 'nps_relational')).toBeUndefined();
  });
});
