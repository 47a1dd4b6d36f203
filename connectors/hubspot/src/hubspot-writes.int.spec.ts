import { CrmFieldSpec, CrmTaskInput, CrmTaskMatch, CrmTaskState, NPS_ACCOUNT_FIELDS, NPS_CONTACT_FIELDS, NPS_FIELD_SHAPES } from '@connectors/core/src';
import { createHubSpotSandbox, HubSpotSandbox } from '@apps/sandbox/src/hubspot';
import { HubSpotConnector } from './hubspot-connector';
import { hubspotConnector } from './index';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const names = hubspotConnector.npsFieldNames;
const FIELDS: CrmFieldSpec[] = [
  ...NPS_ACCOUNT_FIELDS.map((f) => ({ object: 'account' as const, name: names[f], ...NPS_FIELD_SHAPES[f] })),
  ...NPS_CONTACT_FIELDS.map((f) => ({ object: 'contact' as const, name: names[f], ...NPS_FIELD_SHAPES[f] })),
];

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('HubSpot write-back against the HubSpot sandbox', () => {
  let sandbox: HubSpotSandbox;
  let server: ListeningSandbox;
  const waits: number[] = [];

  beforeAll(async () => {
    sandbox = createHubSpotSandbox({ companies: 300, contactsPerCompany: 1, seed: 11, requestsPer10s: 10_000, searchPerSecond: 100 });
    server = await listenSandbox(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    sandbox.resetCalls();
    waits.length = 0;
  });

  const connect = (target = server, token = sandbox.privateAppToken) =>
    hubspotConnector.create({
      credentials: { authType: 'private_app', accessToken: token, baseUrl: target.url },
      settings: hubspotConnector.withDefaults({ rateLimit: { requestsPer10s: 250, searchPerSecond: 5 } }),
      sleep: async (ms) => void waits.push(ms),
    }) as HubSpotConnector;

  const companies = () => sandbox.portal.companies.filter((c) => c.archivedMs === null);
  /** Task i for the i-th company and its contact (none for every fifth). */
  const task = (i: number, overrides: Partial<CrmTaskInput> = {}): CrmTaskInput => {
    const company = companies()[i % companies().length];
    return {
      key: `k-${i}`,
      accountExternalId: company.id,
      contactExternalId: i % 5 === 4 ? null : sandbox.portal.linksByCompany.get(company.id)![0].contactId,
      ownerExternalId: sandbox.portal.owners[i % 3].id,
      due: new Date(Date.UTC(2026, 2, 2 + (i % 7), 9)),
      priority: (['high', 'normal', 'low'] as const)[i % 3],
      subject: `NPS follow-up ${i}`,
      description: `Score ${i % 11}, respondent #${i}`,
      ...overrides,
    };
  };

  it('writes rules §8 values only once ensureFields created the properties: the first try is refused per record', async () => {
    const connector = connect();
    const target = companies().slice(0, 3);

    const early = await connector.updateRecords(
      'account',
      target.map((c) => ({ externalId: c.id, fields: { nps_relational: 10 } })),
    );

    expect(early.map((r) => r.error)).toEqual(
      target.map(() => expect.objectContaining({ code: 'VALIDATION_ERROR', permanent: true, message: expect.stringContaining('PROPERTY_DOESNT_EXIST') })),
    );
    expect(sandbox.writeCalls()).toEqual([{ method: 'POST', path: '/crm/v3/objects/companies/batch/update', inputs: 3, status: 400 }]);
  });

  it('ensureFields creates the group and all 16 properties in 8 calls, then finds them all in 2', async () => {
    const connector = connect();

    const first = await connector.ensureFields(FIELDS);

    expect(first).toEqual({ created: FIELDS, existing: [], manual: [] });
    expect(sandbox.calls()).toBe(8);
    expect(sandbox.writeCalls()).toEqual([
      { method: 'POST', path: '/crm/v3/properties/companies/groups', inputs: null, status: 201 },
      { method: 'POST', path: '/crm/v3/properties/companies/batch/create', inputs: 8, status: 201 },
      { method: 'POST', path: '/crm/v3/properties/contacts/groups', inputs: null, status: 201 },
      { method: 'POST', path: '/crm/v3/properties/contacts/batch/create', inputs: 8, status: 201 },
    ]);
    expect(sandbox.schema.property('contacts', 'nps_last_category')).toMatchObject({ type: 'enumeration', fieldType: 'select', groupName: 'nps_bridge' });
    expect(sandbox.schema.property('companies', 'nps_last_response_date')).toMatchObject({ type: 'date', fieldType: 'date' });

    sandbox.resetCalls();
    expect(await connect().ensureFields(FIELDS)).toEqual({ created: [], existing: FIELDS, manual: [] });
    expect(sandbox.calls()).toBe(2);
  });

  it('updates 150 companies and their contacts 100 per call; the sandbox holds HubSpot’s values', async () => {
    const connector = connect();
    const target = companies().slice(0, 150);
    const accountUpdates = target.map((c, i) => ({
      externalId: c.id,
      fields: {
        nps_relational: i - 75,
        nps_role_gap: i % 2 ? 22.5 : null,
        nps_last_response_date: '2026-02-27',
        nps_sentiment: 'passive',
        nps_health_quadrant: 'churn_risk',
        nps_responses_12m: 3,
      },
    }));
    const contactIds = target.map((c) => sandbox.portal.linksByCompany.get(c.id)!.find((link) => link.primary)!.contactId);
    const contactUpdates = contactIds.map((id) => ({
      externalId: id,
      fields: { nps_last_score: 9, nps_last_category: 'promoter', nps_last_response_date: '2026-02-27', nps_last_comment: 'Great support, fast answers.' },
    }));

    const accounts = await connector.updateRecords('account', accountUpdates);
    const contacts = await connector.updateRecords('contact', contactUpdates);

    expect(accounts).toEqual(target.map((c) => ({ key: c.id, externalId: c.id })));
    expect(contacts).toEqual(contactIds.map((id) => ({ key: id, externalId: id })));
    expect(sandbox.writeCalls().map((w) => [w.path, w.inputs, w.status])).toEqual([
      ['/crm/v3/objects/companies/batch/update', 100, 200],
      ['/crm/v3/objects/companies/batch/update', 50, 200],
      ['/crm/v3/objects/contacts/batch/update', 100, 200],
      ['/crm/v3/objects/contacts/batch/update', 50, 200],
    ]);
    expect(sandbox.companyProperties(target[1].id)).toMatchObject({
      nps_relational: '-74',
      nps_role_gap: '22.5',
      nps_last_response_date: '2026-02-27',
      nps_sentiment: 'passive',
      nps_health_quadrant: 'churn_risk',
    });
    expect(sandbox.companyProperties(target[0].id)).toMatchObject({ nps_role_gap: null });
    expect(sandbox.contactProperties(contactIds[0])).toMatchObject({ nps_last_score: '9', nps_last_category: 'promoter', nps_last_comment: 'Great support, fast answers.' });

    // null clears what was written
    await connector.updateRecords('account', [{ externalId: target[1].id, fields: { nps_role_gap: null } }]);
    expect(sandbox.companyProperties(target[1].id)?.nps_role_gap).toBeNull();
  });

  it('creates 250 tasks in 3 calls with their associations, owner, due time, priority, subject and body', async () => {
    const connector = connect();
    const before = sandbox.tasks().length;
    const inputs = Array.from({ length: 250 }, (_, i) => task(i));

    const results = await connector.createTasks(inputs);

    expect(sandbox.writeCalls().map((w) => w.inputs)).toEqual([100, 100, 50]);
    expect(results.map((r) => r.key)).toEqual(inputs.map((t) => t.key));
    const byId = new Map(
      sandbox
        .tasks()
        .slice(before)
        .map((t) => [t.id, t]),
    );
    expect(byId.size).toBe(250);
    results.forEach((result, i) => {
      expect(byId.get(result.externalId!)).toMatchObject({
        subject: `NPS follow-up ${i}`,
        body: `Score ${i % 11}, respondent #${i}`,
        ownerId: inputs[i].ownerExternalId,
        dueAt: inputs[i].due.toISOString(),
        priority: ['HIGH', 'MEDIUM', 'LOW'][i % 3],
        status: 'NOT_STARTED',
        companyIds: [inputs[i].accountExternalId],
        contactIds: inputs[i].contactExternalId === null ? [] : [inputs[i].contactExternalId],
      });
    });
  });

  it('reads back a task a CSM completed, and only our tasks changed since', async () => {
    const connector = connect();
    const [created] = await connector.createTasks([task(5, { key: 'to-complete' })]);
    const stateOf = (pages: CrmTaskState[][]) => pages.flat().find((t) => t.externalId === created.externalId);
    const everything = await all(connector.readTasks(null));
    expect(stateOf(everything)).toMatchObject({ completed: false, completedAt: null });
    const since = new Date(Math.max(...everything.flat().map((t) => Date.parse(t.modifiedAt))) + 1).toISOString();
    expect(await all(connector.readTasks(since))).toEqual([]);

    // A task a CSM made by hand is not ours.
    const theirs = await fetch(`${server.url}/crm/v3/objects/tasks/batch/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.privateAppToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ properties: { hs_timestamp: String(Date.now()), hs_task_subject: 'Call Acme about renewal' } }] }),
    }).then((res) => res.json() as Promise<{ results: Array<{ id: string }> }>);
    sandbox.completeTask(theirs.results[0].id);
    await fetch(`${server.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify({ action: 'completeTask', id: created.externalId }) });
    sandbox.resetCalls();

    const changed = (await all(connector.readTasks(since))).flat();

    expect(sandbox.calls()).toBe(1);
    expect(changed).toEqual([{ externalId: created.externalId, completed: true, completedAt: expect.any(String), modifiedAt: expect.any(String) }]);
    expect(changed[0].completedAt).toBe(changed[0].modifiedAt);
    expect(Date.parse(changed[0].modifiedAt)).toBeGreaterThanOrEqual(Date.parse(since));
  });

  it('an answer lost after HubSpot created the tasks: outcomeUnknown, not resent, then found by findTasksCreatedSince', async () => {
    const connector = connect();
    // The sandbox's clock runs a little ahead under load (every write gets a later time): start after the last task.
    const since = new Date(Math.max(...sandbox.tasks().map((t) => Date.parse(t.createdAt))) + 1);
    const inputs = Array.from({ length: 120 }, (_, i) => task(1000 + i, { key: `lost-${i}` }));
    await fetch(`${server.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify({ action: 'failAfterWrite', count: 1 }) });

    const results = await connector.createTasks(inputs);

    expect(results.slice(0, 100).every((r) => r.error?.code === 'OUTCOME_UNKNOWN' && r.error.outcomeUnknown === true)).toBe(true);
    expect(results.slice(100).every((r) => r.error?.code === 'NOT_SENT')).toBe(true);
    expect(sandbox.writeCalls()).toEqual([{ method: 'POST', path: '/crm/v3/objects/tasks/batch/create', inputs: 100, status: 503 }]);

    const found = (await all<CrmTaskMatch>(connector.findTasksCreatedSince(since))).flat();

    expect(found).toHaveLength(100);
    expect(found.map((m) => [m.subject, m.dueDate])).toEqual(inputs.slice(0, 100).map((t) => [t.subject, t.due.toISOString().slice(0, 10)]));
    expect(found.every((m) => m.contactExternalId === null && m.accountExternalId === null)).toBe(true);
  });

  it('one task HubSpot refuses (a contact that does not exist) fails alone; the other 99 are created', async () => {
    const connector = connect();
    const inputs = Array.from({ length: 100 }, (_, i) => task(2000 + i, i === 37 ? { contactExternalId: '999999999' } : {}));

    const results = await connector.createTasks(inputs);

    expect(results[37]).toEqual({ key: inputs[37].key, error: { code: 'VALIDATION_ERROR', message: 'No contact with ID 999999999 exists to associate with.', permanent: true } });
    expect(results.filter((r) => r.externalId)).toHaveLength(99);
    const created = sandbox
      .writeCalls()
      .filter((w) => w.status === 201)
      .reduce((n, w) => n + w.inputs!, 0);
    expect(created).toBe(99); // nothing created twice while the bad one was isolated
    expect(sandbox.writeCalls().length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(100)));
  });

  it('during an outage: a create is tried once (OUTCOME_UNKNOWN), an update is retried, then reported', async () => {
    const connector = connect();
    await fetch(`${server.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify({ action: 'outage', on: true }) });
    try {
      const [createResult] = await connector.createTasks([task(1)]);
      const [updateResult] = await connector.updateRecords('account', [{ externalId: companies()[0].id, fields: { nps_relational: 1 } }]);

      expect(createResult.error).toMatchObject({ code: 'OUTCOME_UNKNOWN', outcomeUnknown: true });
      expect(updateResult.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(updateResult.error?.permanent).toBeUndefined();
      expect(sandbox.writeCalls().map((w) => w.status)).toEqual([503, 503, 503, 503, 503, 503, 503]);
      expect(waits).toHaveLength(5);
    } finally {
      await fetch(`${server.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify({ action: 'outage', on: false }) });
    }
  });

  it('lists every field for the admin, with HubSpot’s words, when the app may not create properties', async () => {
    const locked = createHubSpotSandbox({ companies: 3, propertyAccess: false });
    const listening = await listenSandbox(locked);
    try {
      const result = await connect(listening, locked.privateAppToken).ensureFields(FIELDS);
      expect(result.created).toEqual([]);
      expect(result.manual.map(({ reason: _reason, ...spec }) => spec)).toEqual(FIELDS);
      expect(result.manual[0].reason).toMatch(/^HubSpot refused: This app hasn't been granted all required scopes.*\(MISSING_SCOPES\)$/);
    } finally {
      await listening.close();
    }
  });
});
