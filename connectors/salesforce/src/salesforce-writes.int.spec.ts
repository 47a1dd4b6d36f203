import { listenSandbox, ListeningSandbox } from '../../core/src';
import { createSalesforceSandbox, SalesforceSandbox } from '../sandbox';
import { salesforceConnector, SalesforceConnector } from '.';
import { SalesforceAccountUpdate, SalesforceTaskInput } from './salesforce-writes';

/** Response bodies are Salesforce JSON of many shapes; the assertions check them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const CLIENT = { clientId: 'nps-bridge-sandbox-client', clientSecret: 'nps-bridge-sandbox-secret' };
let sandbox: SalesforceSandbox;
let server: ListeningSandbox;

const connect = () =>
  salesforceConnector.create({
    credentials: { authType: 'client_credentials', loginUrl: server.url, ...CLIENT },
    settings: salesforceConnector.withDefaults({}),
    sleep: async () => undefined,
  }) as SalesforceConnector;

const live = (object: string) => sandbox.store.rows(object).filter((r) => !r.IsDeleted);

function task(i: number, patch: Partial<SalesforceTaskInput> = {}): SalesforceTaskInput {
  const contact = live('Contact')[i % 50];
  return {
    key: `resp-${i}`,
    whoId: contact.Id,
    whatId: String(contact.AccountId),
    ownerId: live('User')[0].Id,
    activityDate: '2026-11-25',
    priority: 'Normal',
    subject: `NPS passive follow-up ${i}`,
    description: 'score 7',
    ...patch,
  };
}

async function rawCollections(method: 'POST' | 'PATCH', body: unknown): Promise<{ status: number; body: Json }> {
  const token = await fetch(`${server.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }),
  }).then((r) => r.json() as Promise<Json>);
  const res = await fetch(`${server.url}/services/data/v62.0/composite/sobjects`, {
    method,
    headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

beforeEach(async () => {
  sandbox = createSalesforceSandbox({ accounts: 60, seed: 3, ...CLIENT });
  server = await listenSandbox(sandbox);
});
afterEach(() => server.close());

describe('Salesforce writes against the sandbox org', () => {
  it('creates 450 tasks in 3 collection calls, stored as Not Started Tasks', async () => {
    const c = connect();
    sandbox.resetCalls();
    const results = await c.createTasks(Array.from({ length: 450 }, (_, i) => task(i)));
    expect(results.every((r, i) => r.key === `resp-${i}` && /^00T/.test(r.id ?? '') && !r.error)).toBe(true);
    expect(new Set(results.map((r) => r.id)).size).toBe(450);
    expect(sandbox.calls()).toBe(4);
    expect(c.apiCalls()).toBe(4);
    const stored = sandbox.tasks();
    expect(stored).toHaveLength(450);
    expect(stored[0]).toMatchObject({ Subject: 'NPS passive follow-up 0', Status: 'Not Started', IsClosed: false, Priority: 'Normal', ActivityDate: '2026-11-25', CompletedDateTime: null });
  });

  it('validates each record like Salesforce: references, required Subject, picklists', async () => {
    const deletedContact = sandbox.store.rows('Contact').find((r) => r.IsDeleted);
    const results = await connect().createTasks([
      task(0),
      task(1, { whoId: live('Account')[0].Id }),
      task(2, { ownerId: '0055g0000NoSuchAAA' }),
      task(3, { subject: '' }),
      task(4, { priority: 'Urgent' as 'High' }),
      task(5, { whatId: '001000000000000AAA' }),
      ...(deletedContact ? [task(6, { whoId: deletedContact.Id })] : []),
    ]);
    expect(results.map((r) => [r.key, r.error?.code ?? 'ok'])).toEqual([
      ['resp-0', 'ok'],
      ['resp-1', 'INVALID_CROSS_REFERENCE_KEY'],
      ['resp-2', 'INVALID_CROSS_REFERENCE_KEY'],
      ['resp-3', 'REQUIRED_FIELD_MISSING'],
      ['resp-4', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
      ['resp-5', 'INVALID_CROSS_REFERENCE_KEY'],
      ...(deletedContact ? [['resp-6', 'INVALID_CROSS_REFERENCE_KEY']] : []),
    ]);
    expect(sandbox.tasks()).toHaveLength(1);
  });

  it('refuses more than 200 records in one request, and a bad Status picklist value', async () => {
    const record = { attributes: { type: 'Task' }, Subject: 'NPS x', WhoId: task(0).whoId, WhatId: task(0).whatId, OwnerId: task(0).ownerId };
    const tooMany = await rawCollections('POST', { allOrNone: false, records: Array.from({ length: 201 }, () => record) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual([{ errorCode: 'EXCEEDED_ID_LIMIT', message: expect.stringContaining('200'), fields: [] }]);
    const badStatus = await rawCollections('POST', { records: [{ ...record, Status: 'Done' }] });
    expect(badStatus.body[0]).toEqual({ success: false, errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Status: bad value for restricted picklist field: Done', fields: ['Status'] }] });
    const rolledBack = await rawCollections('POST', { allOrNone: true, records: [record, { ...record, Subject: null }] });
    expect(rolledBack.body.map((r: Json) => r.errors[0].statusCode)).toEqual(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'REQUIRED_FIELD_MISSING']);
    expect(sandbox.tasks()).toHaveLength(0);
  });

  it('updates Account fields in 200-record requests; unknown field and unknown id fail per record', async () => {
    const accounts = live('Account').slice(0, 55);
    const c = connect();
    sandbox.resetCalls();
    const updates: SalesforceAccountUpdate[] = [
      ...accounts.map((a, i) => ({ id: a.Id, fields: { Usage_Score__c: i, Tier__c: 'SMB' } })),
      { id: accounts[0].Id, fields: { NPS_Score__c: 40 } },
      { id: '0015g0000NoSuchAAA', fields: { Tier__c: 'SMB' } },
      { id: accounts[1].Id, fields: { Tier__c: 'Platinum' } },
    ];
    const many = Array.from({ length: 4 }, () => updates).flat();
    const results = await c.updateAccounts(many);
    expect(results).toHaveLength(many.length);
    // 232 updates: 2 PATCHes, plus the token call.
    expect(sandbox.calls()).toBe(Math.ceil(many.length / 200) + 1);
    expect(results.slice(55, 58).map((r) => [r.key, r.error?.code])).toEqual([
      [accounts[0].Id, 'INVALID_FIELD'],
      ['0015g0000NoSuchAAA', 'INVALID_CROSS_REFERENCE_KEY'],
      [accounts[1].Id, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
    ]);
    expect(results.filter((r) => r.id).length).toBe(4 * 55);
    expect(sandbox.store.get(accounts[9].Id)).toMatchObject({ Usage_Score__c: 9, Tier__c: 'SMB' });
    const [page] = await collect(c.read('accounts', { since: new Date(Date.now() - 60_000).toISOString() }));
    expect(page.upserts.map((u) => u.externalId)).toEqual(expect.arrayContaining([accounts[9].Id]));
  });

  it('reads back a task its owner completed, incrementally from the creation cursor', async () => {
    const c = connect();
    const [first, second] = await c.createTasks([task(0), task(1)]);
    const [before] = await collect(c.readTasks(null));
    expect(before.map((t) => [t.id, t.status, t.isClosed, t.completedAt])).toEqual([
      [first.id, 'Not Started', false, null],
      [second.id, 'Not Started', false, null],
    ]);
    const cursor = before[before.length - 1].modifiedAt;
    sandbox.mutate({ completeTasks: [second.id as string] });

    const pages = await collect(c.readTasks(new Date(Date.parse(cursor) + 1000).toISOString()));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toEqual([{ id: second.id, status: 'Completed', isClosed: true, completedAt: expect.any(String), modifiedAt: expect.any(String) }]);
    expect(pages[0][0].completedAt).toBe(pages[0][0].modifiedAt);
    expect(Date.parse(pages[0][0].modifiedAt)).toBeGreaterThan(Date.parse(cursor));
  });
});

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}
