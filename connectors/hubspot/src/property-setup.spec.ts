import nock from 'nock';
import { CrmFieldSpec, NPS_ACCOUNT_FIELDS, NPS_CONTACT_FIELDS, NPS_FIELD_SHAPES, VendorError } from '@connectors/core/src';
import { HubSpotConnector } from './hubspot-connector';
import { hubspotConnector } from './index';

const HS = 'https://api.hubapi.com';
const names = hubspotConnector.npsFieldNames;
const ACCOUNT_SPECS: CrmFieldSpec[] = NPS_ACCOUNT_FIELDS.map((f) => ({ object: 'account', name: names[f], ...NPS_FIELD_SHAPES[f] }));
const CONTACT_SPECS: CrmFieldSpec[] = NPS_CONTACT_FIELDS.map((f) => ({ object: 'contact', name: names[f], ...NPS_FIELD_SHAPES[f] }));
const MISSING_SCOPES = {
  status: 'error',
  message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
  correlationId: 'c1',
  errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.schemas.companies.write'] } }],
  category: 'MISSING_SCOPES',
};

function connect() {
  return hubspotConnector.create({
    credentials: { authType: 'private_app', accessToken: 'pat-na1-test' },
    settings: hubspotConnector.withDefaults(undefined),
    sleep: async () => undefined,
  }) as HubSpotConnector;
}

/** A property as GET /crm/v3/properties/{type} lists it. */
const property = (name: string, type: string, fieldType: string, options: string[] = []) => ({
  name,
  label: name,
  type,
  fieldType,
  groupName: 'nps_bridge',
  description: '',
  options: options.map((value, i) => ({ label: value, value, displayOrder: i, hidden: false })),
});
const standard = [property('name', 'string', 'text'), property('domain', 'string', 'text')];
const batchAnswer = (body: { inputs: Array<{ name: string }> }) => ({
  status: 'COMPLETE',
  results: body.inputs.map((input) => ({ ...input, options: [], createdAt: '2026-03-01T00:00:00Z' })),
  startedAt: '2026-03-01T00:00:00Z',
  completedAt: '2026-03-01T00:00:01Z',
});

describe('HubSpot ensureFields (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('on a fresh portal: per object, reads properties and groups, creates the nps_bridge group, batch-creates every property', async () => {
    const created: Record<string, unknown> = {};
    const groups: Record<string, unknown> = {};
    const scope = nock(HS);
    for (const type of ['companies', 'contacts']) {
      scope.get(`/crm/v3/properties/${type}`).query(true).reply(200, { results: standard });
      scope.get(`/crm/v3/properties/${type}/groups`).reply(200, { results: [{ name: `${type.slice(0, -1)}information`, label: 'Info', displayOrder: 0, archived: false }] });
      scope.post(`/crm/v3/properties/${type}/groups`).reply(201, (_uri, body) => ((groups[type] = body), { ...(body as object), archived: false }));
      scope.post(`/crm/v3/properties/${type}/batch/create`).reply(201, (_uri, body) => ((created[type] = body), batchAnswer(body as { inputs: Array<{ name: string }> })));
    }
    const connector = connect();

    const result = await connector.ensureFields([...ACCOUNT_SPECS, ...CONTACT_SPECS]);

    scope.done();
    expect(connector.apiCalls()).toBe(8);
    expect(result).toEqual({ created: [...ACCOUNT_SPECS, ...CONTACT_SPECS], existing: [], manual: [] });
    expect(groups).toEqual({ companies: { name: 'nps_bridge', label: 'NPS Bridge', displayOrder: -1 }, contacts: { name: 'nps_bridge', label: 'NPS Bridge', displayOrder: -1 } });
    const companies = (created.companies as { inputs: Array<Record<string, unknown>> }).inputs;
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
    expect(companies[0]).toEqual({
      name: 'nps_relational',
      label: 'NPS (relational)',
      description: NPS_FIELD_SHAPES.relationalNps.description,
      groupName: 'nps_bridge',
      type: 'number',
      fieldType: 'number',
      displayOrder: 0,
      formField: false,
      hasUniqueValue: false,
    });
    expect(companies[5]).toMatchObject({ name: 'nps_last_response_date', type: 'date', fieldType: 'date' });
    expect(companies[6]).toEqual({
      name: 'nps_sentiment',
      label: 'NPS sentiment',
      description: NPS_FIELD_SHAPES.sentiment.description,
      groupName: 'nps_bridge',
      type: 'enumeration',
      fieldType: 'select',
      displayOrder: 6,
      formField: false,
      hasUniqueValue: false,
      options: [
        { label: 'Promoter', value: 'promoter', displayOrder: 0, hidden: false },
        { label: 'Passive', value: 'passive', displayOrder: 1, hidden: false },
        { label: 'Detractor', value: 'detractor', displayOrder: 2, hidden: false },
      ],
    });
    expect((companies[7].options as Array<{ label: string; value: string }>)[0]).toEqual({ label: 'Champion', value: 'champion', displayOrder: 0, hidden: false });
    const contacts = (created.contacts as { inputs: Array<Record<string, unknown>> }).inputs;
    expect(contacts.find((p) => p.name === 'nps_last_comment')).toMatchObject({ type: 'string', fieldType: 'textarea' });
    expect(contacts.map((p) => p.name)).toContain('support_nps_last_date');
  });

  it('when everything exists: one read per object type, nothing created', async () => {
    const defined = (specs: CrmFieldSpec[]) =>
      specs.map((s) => property(s.name, { number: 'number', date: 'date', text: 'string', textarea: 'string', picklist: 'enumeration' }[s.type], 'x', [...(s.options ?? [])]));
    const scope = nock(HS)
      .get('/crm/v3/properties/companies')
      .query(true)
      .reply(200, { results: [...standard, ...defined(ACCOUNT_SPECS)] })
      .get('/crm/v3/properties/contacts')
      .query(true)
      .reply(200, { results: defined(CONTACT_SPECS) });
    const connector = connect();

    const result = await connector.ensureFields([...ACCOUNT_SPECS, ...CONTACT_SPECS]);

    scope.done();
    expect(connector.apiCalls()).toBe(2);
    expect(result).toEqual({ created: [], existing: [...ACCOUNT_SPECS, ...CONTACT_SPECS], manual: [] });
  });

  it('creates only what is missing, into an existing group; an existing property of the wrong type or options is for the admin', async () => {
    let sent: { inputs: Array<{ name: string }> } | undefined;
    const scope = nock(HS)
      .get('/crm/v3/properties/companies')
      .query(true)
      .reply(200, {
        results: [
          property('nps_relational', 'string', 'text'), // a string takes our numbers
          property('nps_sentiment', 'enumeration', 'select', ['promoter', 'passive']),
          property('nps_last_response_date', 'string', 'text'),
        ],
      })
      .get('/crm/v3/properties/companies/groups')
      .reply(200, { results: [{ name: 'nps_bridge', label: 'NPS Bridge', displayOrder: -1, archived: false }] })
      .post('/crm/v3/properties/companies/batch/create')
      .reply(201, (_uri, body) => ((sent = body as typeof sent), batchAnswer(body as { inputs: Array<{ name: string }> })));

    const result = await connect().ensureFields(ACCOUNT_SPECS);

    scope.done();
    expect(sent!.inputs.map((p) => p.name)).toEqual(['nps_decision_maker', 'nps_end_user', 'nps_role_gap', 'nps_responses_12m', 'nps_health_quadrant']);
    expect(result.existing.map((s) => s.name)).toEqual(['nps_relational']);
    expect(result.manual).toEqual([
      { ...ACCOUNT_SPECS[5], reason: 'HubSpot property "nps_last_response_date" exists as string/text; nps-bridge writes date values (needs date or datetime)' },
      { ...ACCOUNT_SPECS[6], reason: 'HubSpot property "nps_sentiment" lacks the options detractor' },
    ]);
    expect(result.created.map((s) => s.name)).toEqual(sent!.inputs.map((p) => p.name));
  });

  it('puts the missing properties in `manual` with HubSpot’s words when the app lacks the schema scope (403)', async () => {
    const scope = nock(HS)
      .get('/crm/v3/properties/companies')
      .query(true)
      .reply(200, { results: [...standard, property('nps_relational', 'number', 'number')] })
      .get('/crm/v3/properties/companies/groups')
      .reply(200, { results: [] })
      .post('/crm/v3/properties/companies/groups')
      .reply(403, MISSING_SCOPES);

    const result = await connect().ensureFields(ACCOUNT_SPECS);

    scope.done();
    expect(result.created).toEqual([]);
    expect(result.existing).toEqual([ACCOUNT_SPECS[0]]);
    expect(result.manual).toEqual(ACCOUNT_SPECS.slice(1).map((spec) => ({ ...spec, reason: `HubSpot refused: ${MISSING_SCOPES.message} (MISSING_SCOPES)` })));
  });

  it('a 403 on the batch create, and a 207 that names a property created meanwhile or refused', async () => {
    const refused = nock(HS)
      .get('/crm/v3/properties/contacts')
      .query(true)
      .reply(200, { results: [] })
      .get('/crm/v3/properties/contacts/groups')
      .reply(200, { results: [{ name: 'nps_bridge', label: 'NPS Bridge', displayOrder: -1, archived: false }] })
      .post('/crm/v3/properties/contacts/batch/create')
      .reply(403, MISSING_SCOPES);
    const denied = await connect().ensureFields(CONTACT_SPECS);
    refused.done();
    expect(denied.manual.map((m) => m.reason)).toEqual(CONTACT_SPECS.map(() => expect.stringContaining('MISSING_SCOPES')));

    nock(HS)
      .get('/crm/v3/properties/contacts')
      .query(true)
      .reply(200, { results: [] })
      .get('/crm/v3/properties/contacts/groups')
      .reply(200, { results: [{ name: 'nps_bridge', label: 'NPS Bridge', displayOrder: -1, archived: false }] })
      .post('/crm/v3/properties/contacts/batch/create')
      .reply(207, (_uri, body) => {
        const { inputs } = body as { inputs: Array<{ name: string }> };
        return {
          ...batchAnswer({ inputs: inputs.slice(2) }),
          numErrors: 2,
          errors: [
            { status: 'error', category: 'OBJECT_ALREADY_EXISTS', message: 'A contact property named "nps_last_score" already exists.', context: { name: ['nps_last_score'] } },
            { status: 'error', category: 'VALIDATION_ERROR', message: 'Too many options', context: { name: ['nps_last_category'] } },
          ],
        };
      });
    const partial = await connect().ensureFields(CONTACT_SPECS);
    expect(partial.existing.map((s) => s.name)).toEqual(['nps_last_score']);
    expect(partial.manual).toEqual([{ ...CONTACT_SPECS[1], reason: 'HubSpot refused: Too many options (VALIDATION_ERROR)' }]);
    expect(partial.created).toEqual(CONTACT_SPECS.slice(2));
  });

  it('lists a name HubSpot cannot take without asking, and throws a refused token', async () => {
    const bad = { ...ACCOUNT_SPECS[0], name: 'NPS Relational' };
    const twice = { ...ACCOUNT_SPECS[1], name: ACCOUNT_SPECS[2].name };
    const connector = connect();
    expect(await connector.ensureFields([bad])).toEqual({
      created: [],
      existing: [],
      manual: [{ ...bad, reason: '"NPS Relational" is not a HubSpot internal name (lowercase letters, digits, _)' }],
    });
    expect(connector.apiCalls()).toBe(0);

    nock(HS)
      .get('/crm/v3/properties/companies')
      .query(true)
      .reply(200, { results: [property('nps_end_user', 'number', 'number')] });
    expect(await connector.ensureFields([twice, ACCOUNT_SPECS[2]])).toEqual({
      created: [],
      existing: [twice],
      manual: [{ ...ACCOUNT_SPECS[2], reason: '"nps_end_user" is configured for two account fields; one property cannot hold both' }],
    });

    nock(HS).get('/crm/v3/properties/companies').query(true).reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' });
    const failure = await connector.ensureFields(ACCOUNT_SPECS).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(VendorError);
    expect(failure).toMatchObject({ kind: 'auth', details: { status: 401 } });
  });
});
