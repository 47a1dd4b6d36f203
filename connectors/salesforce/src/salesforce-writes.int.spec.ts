import { CrmFieldSpec, CrmTaskInput, NPS_ACCOUNT_FIELDS, NPS_CONTACT_FIELDS, NPS_FIELD_SHAPES } from '@connectors/core/src';
import { createSalesforceSandbox, SalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { salesforceConnector, SalesforceConnector } from './';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

/** Response bodies are Salesforce JSON of many shapes; the assertions check them. */

type Json = any;

const CLIENT = { clientId: 'nps-bridge-sandbox-client', clientSecret: 'nps-bridge-sandbox-secret' };
const names = salesforceConnector.npsFieldNames;
/** The 16 rules §8 fields as the setup command asks for them. */
const SPECS: CrmFieldSpec[] = [
  ...NPS_ACCOUNT_FIELDS.map((f) => ({ object: 'account' as const, name: names[f], ...NPS_FIELD_SHAPES[f] })),
  ...NPS_CONTACT_FIELDS.map((f) => ({ object: 'contact' as const, name: names[f], ...NPS_FIELD_SHAPES[f] })),
];

let sandbox: SalesforceSandbox;
let server: ListeningSandbox;

async function start(options: Parameters<typeof createSalesforceSandbox>[0] = {}) {
  sandbox = createSalesforceSandbox({ accounts: 60, seed: 3, ...CLIENT, ...options });
  server = await listenSandbox(sandbox);
}

const connect = () =>
  salesforceConnector.create({
    credentials: { authType: 'client_credentials', loginUrl: server.url, ...CLIENT },
    settings: salesforceConnector.withDefaults({}),
    sleep: async () => undefined,
  }) as SalesforceConnector;

const live = (object: string) => sandbox.store.rows(object).filter((r) => !r.IsDeleted);

function task(i: number, patch: Partial<CrmTaskInput> = {}): CrmTaskInput {
  const contact = live('Contact')[i % 50];
  return {
    key: `fu-${i}`,
    accountExternalId: String(contact.AccountId),
    contactExternalId: contact.Id,
    ownerExternalId: live('User')[0].Id,
    due: new Date('2026-11-25T12:00:00Z'),
    priority: 'normal',
    subject: `NPS passive follow-up ${i}`,
    description: 'score 7',
    ...patch,
  };
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

const posts = () => sandbox.writes().filter((w) => w.method === 'POST' && w.resource === '/composite/sobjects');

afterEach(() => server.close());

describe('Salesforce closing-the-loop writes against the sandbox org', () => {
  it('sets up the rules §8 fields, writes them, creates tasks in 200s, and reads a completed one back', async () => {
    await start();
    const c = connect();

    expect(await c.ensureFields(SPECS.slice(0, 8))).toEqual({ created: SPECS.slice(0, 8), existing: [], manual: [] });
    // The next run reuses the permission set and its assignment (found by SOQL).
    expect(await c.ensureFields(SPECS)).toEqual({ created: SPECS.slice(8), existing: SPECS.slice(0, 8), manual: [] });
    expect([sandbox.store.rows('PermissionSet').length, sandbox.store.rows('PermissionSetAssignment').length, sandbox.store.rows('FieldPermissions').length]).toEqual([1, 1, 16]);
    expect([...sandbox.customFields('Account'), ...sandbox.customFields('Contact')].filter((f) => f.access !== 'edit')).toEqual([]);
    // A second run finds every field and changes nothing: 2 describes.
    sandbox.resetCalls();
    expect(await connect().ensureFields(SPECS)).toEqual({ created: [], existing: SPECS, manual: [] });
    expect(sandbox.calls()).toBe(3);

    const [account] = live('Account');
    const [person] = live('Contact');
    const accountResults = await c.updateRecords('account', [
      {
        externalId: account.Id,
        fields: {
          [names.relationalNps]: -20,
          [names.responses12m]: 4,
          [names.lastResponseDate]: '2026-11-20',
          [names.healthQuadrant]: 'churn_risk',
          [names.sentiment]: 'detractor',
        },
      },
    ]);
    expect(accountResults).toEqual([{ key: account.Id, externalId: account.Id }]);
    const contactResults = await c.updateRecords('contact', [
      {
        externalId: person.Id,
        fields: { [names.lastRelationalScore]: 3, [names.lastRelationalCategory]: 'detractor', [names.lastRelationalComment]: 'Too slow', [names.lastTransactionalDate]: null },
      },
    ]);
    expect(contactResults).toEqual([{ key: person.Id, externalId: person.Id }]);
    expect(sandbox.record('Account', account.Id)).toMatchObject({
      NPS_Relational__c: -20,
      NPS_Responses_12m__c: 4,
      NPS_Last_Response_Date__c: '2026-11-20',
      NPS_Health_Quadrant__c: 'churn_risk',
    });
    expect(sandbox.record('Contact', person.Id)).toMatchObject({
      NPS_Last_Score__c: 3,
      NPS_Last_Category__c: 'detractor',
      NPS_Last_Comment__c: 'Too slow',
      Support_NPS_Last_Date__c: null,
    });

    sandbox.resetCalls();
    const created = await c.createTasks(Array.from({ length: 401 }, (_, i) => task(i)));
    expect(created.every((r, i) => r.key === `fu-${i}` && /^00T/.test(r.externalId ?? '') && !r.error)).toBe(true);
    expect(posts().map((w) => w.records)).toEqual([200, 200, 1]);
    expect(sandbox.tasks()[0]).toMatchObject({ Subject: 'NPS passive follow-up 0', ActivityDate: '2026-11-25', Priority: 'Normal', Status: 'Not Started', IsClosed: false });

    const before = await collect(c.readTasks(null));
    expect(before).toHaveLength(401);
    expect(before.every((t) => !t.completed && t.completedAt === null)).toBe(true);
    const cursor = before[before.length - 1].modifiedAt;
    sandbox.mutate({ completeTasks: [created[7].externalId as string] });
    const after = await collect(c.readTasks(new Date(Date.parse(cursor) + 1000).toISOString()));
    expect(after).toEqual([{ externalId: created[7].externalId, completed: true, completedAt: expect.any(String), modifiedAt: expect.any(String) }]);
    expect(after[0].completedAt).toBe(after[0].modifiedAt);
  });

  it('lists every field for the admin when the org refuses metadata changes', async () => {
    await start({ metadataAccess: false });
    const setup = await connect().ensureFields(SPECS);
    expect(setup.created).toEqual([]);
    expect(setup.manual).toHaveLength(16);
    expect(setup.manual[0]).toEqual({ ...SPECS[0], reason: expect.stringContaining('Account.NPS_Relational__c could not be created: You do not have the level of access') });
  });

  it('creates the fields but lists them for the admin when only permission sets are refused; a later run grants them', async () => {
    await start();
    sandbox.setMetadataAccess(false, 'permissions');
    const first = await connect().ensureFields(SPECS);
    expect(first.created).toEqual([]);
    expect(first.manual.map((m) => m.reason)).toEqual(SPECS.map(() => expect.stringContaining('read/edit access could not be granted')));
    sandbox.setMetadataAccess(true);
    // The fields exist but stay hidden from describe: Tooling calls them duplicates, and they get granted.
    expect(await connect().ensureFields(SPECS)).toEqual({ created: [], existing: SPECS, manual: [] });
  });

  it('refuses bad records one by one; a missing field fails only the records that carry it', async () => {
    await start({ npsFields: true });
    const c = connect();
    const deleted = sandbox.deleteContacts(1)[0];
    const results = await c.createTasks([
      task(0),
      task(1, { contactExternalId: live('Account')[0].Id }),
      task(2, { ownerExternalId: '0055g0000NoSuchAAA' }),
      task(3, { subject: '' }),
      task(4, { subject: `NPS ${'x'.repeat(260)}` }),
      task(5, { contactExternalId: deleted }),
    ]);
    expect(results.map((r) => [r.key, r.error?.code ?? 'ok', r.error?.permanent])).toEqual([
      ['fu-0', 'ok', undefined],
      ['fu-1', 'INVALID_CROSS_REFERENCE_KEY', true],
      ['fu-2', 'INVALID_CROSS_REFERENCE_KEY', true],
      ['fu-3', 'REQUIRED_FIELD_MISSING', true],
      ['fu-4', 'STRING_TOO_LONG', true],
      ['fu-5', 'INVALID_CROSS_REFERENCE_KEY', true],
    ]);
    expect(sandbox.tasks()).toHaveLength(1);

    const [a, b] = live('Contact');
    sandbox.resetCalls();
    const updates = await c.updateRecords('contact', [
      { externalId: a.Id, fields: { NPS_Last_Score__c: 8, NPS_Mood__c: 'sunny' } },
      { externalId: b.Id, fields: { NPS_Last_Score__c: 10, NPS_Last_Category__c: 'fan' } },
      { externalId: '0035g0000NoSuchAAA', fields: { NPS_Last_Score__c: 1 } },
    ]);
    expect(updates.map((r) => [r.key, r.error?.code ?? 'ok'])).toEqual([
      [a.Id, 'INVALID_FIELD'],
      [b.Id, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
      ['0035g0000NoSuchAAA', 'INVALID_CROSS_REFERENCE_KEY'],
    ]);
    expect(sandbox.writes().map((w) => w.status)).toEqual([400, 200]);
    expect(sandbox.record('Contact', a.Id)?.NPS_Last_Score__c).toBeUndefined();
  });

  it('after a create whose answer was lost: no resend, outcomeUnknown, and findTasksCreatedSince finds what was made', async () => {
    await start();
    const c = connect();
    const since = new Date(Date.now() - 2000);
    await c.createTasks([task(0)]);
    sandbox.resetCalls();
    sandbox.mutate({ action: 'failAfterWrite', count: 1 });

    const results = await c.createTasks(Array.from({ length: 450 }, (_, i) => task(i + 1)));

    expect(posts().map((w) => [w.records, w.status])).toEqual([[200, 503]]);
    expect(results.slice(0, 200).every((r) => r.error?.outcomeUnknown === true && r.error.permanent === false)).toBe(true);
    expect(results.slice(200).every((r) => r.error?.code === 'NOT_SENT')).toBe(true);
    const found = await collect(c.findTasksCreatedSince(since));
    expect(found).toHaveLength(201);
    expect(found[1]).toEqual({
      externalId: expect.stringMatching(/^00T/),
      subject: 'NPS passive follow-up 1',
      contactExternalId: task(1).contactExternalId,
      accountExternalId: task(1).accountExternalId,
      dueDate: '2026-11-25',
    });
    expect(found.map((m) => m.subject)).toEqual(Array.from({ length: 201 }, (_, i) => `NPS passive follow-up ${i}`));
  });

  it('during an outage sends nothing, reports every task as retryable (not outcomeUnknown), and works once it ends', async () => {
    await start();
    sandbox.mutate({ action: 'outage', on: true });
    const c = connect();
    const during = await c.createTasks([task(0), task(1)]);
    expect(during.map((r) => [r.error?.permanent, r.error?.outcomeUnknown])).toEqual([
      [false, undefined],
      [false, undefined],
    ]);
    expect(sandbox.tasks()).toHaveLength(0);
    sandbox.mutate({ action: 'outage', on: false });
    expect((await c.createTasks([task(0)]))[0].externalId).toMatch(/^00T/);
  });
});

describe('Salesforce sandbox controls over HTTP', () => {
  it('exposes the write log and records to e2e tests', async () => {
    await start({ npsFields: true });
    const [account] = live('Account');
    await connect().updateRecords('account', [{ externalId: account.Id, fields: { NPS_Role_Gap__c: 25 } }]);
    const get = async (path: string) => (await (await fetch(`${server.url}${path}`)).json()) as Json;
    expect((await get(`/_sandbox/records/Account/${account.Id}`)).record.NPS_Role_Gap__c).toBe(25);
    expect((await get('/_sandbox/writes')).writes.map((w: Json) => [w.method, w.types, w.records, w.status])).toEqual([['PATCH', ['Account'], 1, 200]]);
    expect((await get('/_sandbox/fields/Account')).fields).toContainEqual({ name: 'NPS_Role_Gap__c', type: 'double', label: 'NPS role gap', access: 'edit' });
  });
});
