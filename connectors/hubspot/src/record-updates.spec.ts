import nock from 'nock';
import { VendorError } from '@connectors/core/src';
import { HubSpotConnector } from './hubspot-connector';
import { hubspotConnector } from './index';

const HS = 'https://api.hubapi.com';
const COMPANIES = '/crm/v3/objects/companies/batch/update';
const CONTACTS = '/crm/v3/objects/contacts/batch/update';
const TEN_SECONDLY = {
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c1',
  policyName: 'TEN_SECONDLY_ROLLING',
};

function connect() {
  const waits: number[] = [];
  const connector = hubspotConnector.create({
    credentials: { authType: 'private_app', accessToken: 'pat-na1-test' },
    settings: hubspotConnector.withDefaults(undefined),
    sleep: async (ms) => void waits.push(ms),
  }) as HubSpotConnector;
  return { connector, waits };
}

type Body = { inputs: Array<{ id: string; properties: Record<string, string> }> };
/** HubSpot's 200 for a batch update: every input back under its id. */
const updated = (body: Body) => ({
  status: 'COMPLETE',
  results: body.inputs.map((i) => ({ id: i.id, properties: i.properties, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-03-01T00:00:00Z', archived: false })),
  startedAt: '2026-03-01T00:00:00Z',
  completedAt: '2026-03-01T00:00:01Z',
});
/** HubSpot's 400 for invalid property values (its error-handling guide's shape). */
const invalid = (details: Array<Record<string, string>>) => ({
  status: 'error',
  message: `Property values were not valid: ${JSON.stringify(details.map((d) => ({ isValid: false, localizedErrorMessage: d.message, ...d })))}`,
  correlationId: 'c9',
  errors: details.map((d) => ({ message: d.message, code: d.error, context: { propertyName: [d.name] } })),
  category: 'VALIDATION_ERROR',
});

describe('HubSpot updateRecords (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('updates 250 companies in 100/100/50 with values in HubSpot formats, results keyed by externalId', async () => {
    const bodies: Body[] = [];
    const scope = nock(HS)
      .post(COMPANIES)
      .times(3)
      .reply(200, (_uri, body) => (bodies.push(body as Body), updated(body as Body)));
    const { connector } = connect();
    const updates = Array.from({ length: 250 }, (_, i) => ({
      externalId: String(5000 + i),
      fields: { nps_relational: i - 100, nps_role_gap: 12.5, nps_last_response_date: '2026-02-28', nps_sentiment: i % 2 ? 'promoter' : null, nps_flag: i % 2 === 0 },
    }));

    const results = await connector.updateRecords('account', updates);

    scope.done();
    expect(bodies.map((b) => b.inputs.length)).toEqual([100, 100, 50]);
    expect(bodies[0].inputs[0]).toEqual({
      id: '5000',
      properties: { nps_relational: '-100', nps_role_gap: '12.5', nps_last_response_date: '2026-02-28', nps_sentiment: '', nps_flag: 'true' },
    });
    expect(bodies[2].inputs[49]).toEqual({
      id: '5249',
      properties: { nps_relational: '149', nps_role_gap: '12.5', nps_last_response_date: '2026-02-28', nps_sentiment: 'promoter', nps_flag: 'false' },
    });
    expect(results).toEqual(updates.map((u) => ({ key: u.externalId, externalId: u.externalId })));
  });

  it('writes contacts to the contacts endpoint, numbers never in exponent form', async () => {
    let sent: Body | undefined;
    nock(HS)
      .post(CONTACTS)
      .reply(200, (_uri, body) => ((sent = body as Body), updated(body as Body)));
    const { connector } = connect();

    await connector.updateRecords('contact', [{ externalId: '7001', fields: { nps_last_score: 1e-7, support_nps_last_score: 1e21, nps_last_comment: '2026-01-05' } }]);

    expect(sent).toEqual({
      inputs: [{ id: '7001', properties: { nps_last_score: '0.0000001', support_nps_last_score: '1000000000000000000000', nps_last_comment: '2026-01-05' } }],
    });
  });

  it('gives 207 OBJECT_NOT_FOUND to the missing ids as permanent refusals; the rest succeed', async () => {
    nock(HS)
      .post(COMPANIES)
      .reply(207, (_uri, body) => {
        const { inputs } = body as Body;
        return {
          ...updated({ inputs: inputs.slice(1) }),
          numErrors: 1,
          errors: [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: 'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.',
              context: { ids: [inputs[0].id] },
            },
          ],
        };
      });
    const { connector } = connect();

    const results = await connector.updateRecords('account', [
      { externalId: '1', fields: { nps_relational: 1 } },
      { externalId: '5001', fields: { nps_relational: 2 } },
    ]);

    expect(results).toEqual([
      { key: '1', error: { code: 'OBJECT_NOT_FOUND', message: expect.stringContaining('Could not get some COMPANY objects'), permanent: true } },
      { key: '5001', externalId: '5001' },
    ]);
  });

  it('fails only the records writing a property HubSpot says does not exist, and resends the rest in one call', async () => {
    const bodies: Body[] = [];
    const scope = nock(HS)
      .post(COMPANIES)
      .times(2)
      .reply((_uri, body) => {
        const b = body as Body;
        bodies.push(b);
        const bad = b.inputs.some((i) => 'nps_typo' in i.properties);
        return bad ? [400, invalid([{ name: 'nps_typo', error: 'PROPERTY_DOESNT_EXIST', message: 'Property "nps_typo" does not exist' }])] : [200, updated(b)];
      });
    const { connector } = connect();
    const updates = Array.from({ length: 100 }, (_, i) => ({ externalId: String(5000 + i), fields: (i < 30 ? { nps_typo: 1 } : { nps_relational: 1 }) as Record<string, number> }));

    const results = await connector.updateRecords('account', updates);

    scope.done();
    expect(bodies.map((b) => b.inputs.length)).toEqual([100, 70]);
    expect(results.slice(0, 30).every((r) => r.error?.code === 'VALIDATION_ERROR' && r.error.permanent && r.error.message.includes('PROPERTY_DOESNT_EXIST'))).toBe(true);
    expect(results.slice(30)).toEqual(updates.slice(30).map((u) => ({ key: u.externalId, externalId: u.externalId })));
  });

  it('blames a bad option by the value HubSpot quotes', async () => {
    const sizes: number[] = [];
    nock(HS)
      .post(CONTACTS)
      .times(2)
      .reply((_uri, body) => {
        const b = body as Body;
        sizes.push(b.inputs.length);
        const bad = b.inputs.some((i) => i.properties.nps_last_category === 'meh');
        const detail = {
          name: 'nps_last_category',
          error: 'INVALID_OPTION',
          message: 'meh was not one of the allowed options: [promoter, passive, detractor]',
          propertyValue: 'meh',
        };
        return bad ? [400, invalid([detail])] : [200, updated(b)];
      });
    const { connector } = connect();

    const results = await connector.updateRecords('contact', [
      { externalId: '7001', fields: { nps_last_category: 'promoter' } },
      { externalId: '7002', fields: { nps_last_category: 'meh' } },
      { externalId: '7003', fields: { nps_last_category: 'passive' } },
    ]);

    expect(sizes).toEqual([3, 2]);
    expect(results.map((r) => r.error?.permanent ?? false)).toEqual([false, true, false]);
  });

  it('merges two updates of one record (the later value wins) and refuses what HubSpot could not store, without a call for it', async () => {
    let sent: Body | undefined;
    nock(HS)
      .post(COMPANIES)
      .reply(200, (_uri, body) => ((sent = body as Body), updated(body as Body)));
    const { connector } = connect();

    const results = await connector.updateRecords('account', [
      { externalId: '5001', fields: { nps_relational: 10, nps_sentiment: 'passive' } },
      { externalId: '5002', fields: { nps_relational: Number.NaN } },
      { externalId: '5001', fields: { nps_relational: 20 } },
      { externalId: 'acme', fields: { nps_relational: 1 } },
      { externalId: '5003', fields: {} },
    ]);

    expect(sent).toEqual({ inputs: [{ id: '5001', properties: { nps_relational: '20', nps_sentiment: 'passive' } }] });
    expect(results).toEqual([
      { key: '5001', externalId: '5001' },
      { key: '5002', error: { code: 'INVALID_INPUT', message: 'nps_relational = NaN is not a number HubSpot can store', permanent: true } },
      { key: '5001', externalId: '5001' },
      { key: 'acme', error: { code: 'INVALID_INPUT', message: '"acme" is not a HubSpot record id', permanent: true } },
      { key: '5003', externalId: '5003' },
    ]);
  });

  it('retries updates (idempotent) through a 429 and a 503; an outage that outlasts the retries fails the rest as NOT_SENT', async () => {
    const retried = nock(HS)
      .post(COMPANIES)
      .reply(429, TEN_SECONDLY)
      .post(COMPANIES)
      .reply(503, { status: 'error', message: 'Service Unavailable' })
      .post(COMPANIES)
      .reply(200, (_uri, body) => updated(body as Body));
    const { connector, waits } = connect();

    expect(await connector.updateRecords('account', [{ externalId: '5001', fields: { nps_relational: 1 } }])).toEqual([{ key: '5001', externalId: '5001' }]);
    retried.done();
    expect(waits).toHaveLength(2);

    const outage = nock(HS).post(COMPANIES).times(6).reply(503, { status: 'error', message: 'Service Unavailable', category: 'SERVICE_UNAVAILABLE' });
    const results = await connector.updateRecords(
      'account',
      Array.from({ length: 150 }, (_, i) => ({ externalId: String(5000 + i), fields: { nps_relational: 1 } })),
    );
    expect(results[0].error).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable' });
    expect(results[100].error).toEqual({ code: 'NOT_SENT', message: 'not sent: Service Unavailable' });
    outage.done(); // six attempts at the first batch, none at the second
  });

  it('throws a refused token', async () => {
    nock(HS).post(CONTACTS).reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' });
    const { connector } = connect();
    await expect(connector.updateRecords('contact', [{ externalId: '7001', fields: { nps_last_score: 9 } }])).rejects.toBeInstanceOf(VendorError);
  });
});
