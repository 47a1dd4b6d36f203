import nock from 'nock';
import { DATA, INSTANCE_URL, LOGIN_URL, queryPage, tokenResponse } from '../fixtures/records';
import { VendorError } from '../../core/src';
import { SalesforceConnector } from './salesforce-connector';
import { SalesforceTaskInput, SalesforceTaskState, taskQuery } from './salesforce-writes';

const COLLECTIONS = `${DATA}/composite/sobjects`;
const JSON_HEADERS = { 'Content-Type': 'application/json', 'Sforce-Limit-Info': 'api-usage=10/15000' };

type Body = { allOrNone: boolean; records: Record<string, unknown>[] };

function connector() {
  return new SalesforceConnector({
    credentials: { authType: 'client_credentials', loginUrl: LOGIN_URL, clientId: '3MVG9client', clientSecret: 'secret' },
    settings: {},
    sleep: async () => undefined,
  });
}

const signIn = () => nock(LOGIN_URL).post('/services/oauth2/token').reply(200, tokenResponse('00DDn!first'));

function task(i: number): SalesforceTaskInput {
  return {
    key: `resp-${i}`,
    whoId: '003Dn0000000001AAA',
    whatId: '001Dn0000000001AAA',
    ownerId: '005Dn0000000001AAA',
    activityDate: '2026-11-25',
    priority: 'High',
    subject: `NPS detractor follow-up ${i}`,
    description: `score 3, comment ${i}`,
  };
}

const ok = (records: unknown[], from: number) => records.map((_, i) => ({ id: `00TDn${String(from + i).padStart(10, '0')}AAA`, success: true, errors: [] }));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('SalesforceConnector.createTasks', () => {
  it('sends 450 tasks as exactly 3 POSTs of 200/200/50 and maps every id back to its key', async () => {
    signIn();
    const bodies: Body[] = [];
    let created = 0;
    const api = nock(INSTANCE_URL, { reqheaders: { authorization: 'Bearer 00DDn!first', 'content-type': 'application/json' } })
      .post(COLLECTIONS)
      .times(3)
      .reply(200, (_uri, body) => {
        bodies.push(body as Body);
        const results = ok((body as Body).records, created);
        created += results.length;
        return results;
      }, JSON_HEADERS);
    const c = connector();

    const results = await c.createTasks(Array.from({ length: 450 }, (_, i) => task(i)));

    expect(api.isDone()).toBe(true);
    expect(bodies.map((b) => b.records.length)).toEqual([200, 200, 50]);
    expect(bodies.every((b) => b.allOrNone === false)).toBe(true);
    expect(bodies[0].records[0]).toEqual({
      attributes: { type: 'Task' },
      Subject: 'NPS detractor follow-up 0',
      WhoId: '003Dn0000000001AAA',
      WhatId: '001Dn0000000001AAA',
      OwnerId: '005Dn0000000001AAA',
      ActivityDate: '2026-11-25',
      Priority: 'High',
      Status: 'Not Started',
      Description: 'score 3, comment 0',
    });
    expect(bodies[2].records[49].Subject).toBe('NPS detractor follow-up 449');
    expect(results).toHaveLength(450);
    expect(results[0]).toEqual({ key: 'resp-0', id: '00TDn0000000000AAA' });
    expect(results[449]).toEqual({ key: 'resp-449', id: '00TDn0000000449AAA' });
    expect(c.apiCalls()).toBe(4);
  });

  it('maps a per-record failure to its key, the others succeed', async () => {
    signIn();
    nock(INSTANCE_URL)
      .post(COLLECTIONS)
      .reply(200, [
        { id: '00TDn0000000000AAA', success: true, errors: [] },
        { success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'Name ID: id value of incorrect type: 003bad', fields: ['WhoId'] }] },
        { id: '00TDn0000000002AAA', success: true, errors: [] },
      ], JSON_HEADERS);

    expect(await connector().createTasks([task(0), task(1), task(2)])).toEqual([
      { key: 'resp-0', id: '00TDn0000000000AAA' },
      { key: 'resp-1', error: { code: 'INVALID_CROSS_REFERENCE_KEY', message: 'Name ID: id value of incorrect type: 003bad' } },
      { key: 'resp-2', id: '00TDn0000000002AAA' },
    ]);
  });

  it('retries a 503 and a REQUEST_LIMIT_EXCEEDED, then succeeds; every attempt is metered', async () => {
    signIn();
    const api = nock(INSTANCE_URL)
      .post(COLLECTIONS)
      .reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' }], JSON_HEADERS)
      .post(COLLECTIONS)
      .reply(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' }], JSON_HEADERS)
      .post(COLLECTIONS)
      .reply(200, (_uri, body) => ok((body as Body).records, 0), JSON_HEADERS);
    const c = connector();

    expect(await c.createTasks([task(0)])).toEqual([{ key: 'resp-0', id: '00TDn0000000000AAA' }]);
    expect(api.isDone()).toBe(true);
    expect(c.apiCalls()).toBe(4);
  });

  it('does not retry a 400 and throws it as an invalid VendorError', async () => {
    signIn();
    nock(INSTANCE_URL)
      .post(COLLECTIONS)
      .once()
      .reply(400, [{ errorCode: 'JSON_PARSER_ERROR', message: 'bad body' }], JSON_HEADERS);
    const error = await connector().createTasks([task(0)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ kind: 'invalid', details: { code: 'JSON_PARSER_ERROR', status: 400 } });
  });

  it('sends nothing for no tasks', async () => {
    expect(await connector().createTasks([])).toEqual([]);
  });
});

describe('SalesforceConnector.updateAccounts', () => {
  it('PATCHes 201 updates as 200 + 1, keyed by account id', async () => {
    signIn();
    const bodies: Body[] = [];
    nock(INSTANCE_URL)
      .patch(COLLECTIONS)
      .times(2)
      .reply(200, (_uri, body) => {
        bodies.push(body as Body);
        return (body as Body).records.map((r) =>
          r.Id === '001Dn0000000007AAA'
            ? { id: r.Id, success: false, errors: [{ statusCode: 'INVALID_FIELD', message: "No such column 'NPS__c'", fields: ['NPS__c'] }] }
            : { id: r.Id, success: true, errors: [] },
        );
      }, JSON_HEADERS);
    const updates = Array.from({ length: 201 }, (_, i) => ({ id: `001Dn${String(i).padStart(10, '0')}AAA`, fields: { NPS__c: 42 - i, Health__c: 'champion', Last_Response__c: null } }));

    const results = await connector().updateAccounts(updates);

    expect(bodies.map((b) => b.records.length)).toEqual([200, 1]);
    expect(bodies[1]).toEqual({
      allOrNone: false,
      records: [{ attributes: { type: 'Account' }, NPS__c: -158, Health__c: 'champion', Last_Response__c: null, Id: '001Dn0000000200AAA' }],
    });
    expect(results).toHaveLength(201);
    expect(results[0]).toEqual({ key: '001Dn0000000000AAA', id: '001Dn0000000000AAA' });
    expect(results[7]).toEqual({ key: '001Dn0000000007AAA', error: { code: 'INVALID_FIELD', message: "No such column 'NPS__c'" } });
  });

  it('refuses an answer whose length does not match the request', async () => {
    signIn();
    nock(INSTANCE_URL).patch(COLLECTIONS).reply(200, [], JSON_HEADERS);
    await expect(connector().updateAccounts([{ id: '001Dn0000000000AAA', fields: { NPS__c: 1 } }])).rejects.toMatchObject({ details: { code: 'BAD_COLLECTION_RESPONSE' } });
  });
});

describe('SalesforceConnector.readTasks', () => {
  it('queries our tasks since the cursor and follows nextRecordsUrl; completedAt falls back to LastModifiedDate', async () => {
    signIn();
    const since = '2026-11-23T10:00:00.000Z';
    const row = (id: string, patch: Record<string, unknown>) => ({
      attributes: { type: 'Task', url: `${DATA}/sobjects/Task/${id}` },
      Id: id,
      Status: 'Not Started',
      IsClosed: false,
      CompletedDateTime: null,
      LastModifiedDate: '2026-11-23T10:00:00.000+0000',
      SystemModstamp: '2026-11-23T10:00:00.000+0000',
      ...patch,
    });
    nock(INSTANCE_URL)
      .get(`${DATA}/query`)
      .query({ q: taskQuery(since) })
      .reply(200, queryPage([row('00TDn0000000001AAA', {})], 2, `${DATA}/query/01gDn00000LocAtRAA-1`), JSON_HEADERS)
      .get(`${DATA}/query/01gDn00000LocAtRAA-1`)
      .reply(200, queryPage([row('00TDn0000000002AAA', { Status: 'Completed', IsClosed: true, LastModifiedDate: '2026-11-24T08:00:00.000+0000', SystemModstamp: '2026-11-24T08:00:01.000+0000' })], 2), JSON_HEADERS);

    const pages: SalesforceTaskState[][] = [];
    for await (const page of connector().readTasks(since)) pages.push(page);

    expect(taskQuery(since)).toBe(
      "SELECT Id, Status, IsClosed, CompletedDateTime, LastModifiedDate, SystemModstamp FROM Task WHERE Subject LIKE 'NPS%' AND SystemModstamp >= 2026-11-23T10:00:00.000Z ORDER BY SystemModstamp ASC, Id ASC",
    );
    expect(pages).toEqual([
      [{ id: '00TDn0000000001AAA', status: 'Not Started', isClosed: false, completedAt: null, modifiedAt: '2026-11-23T10:00:00.000Z' }],
      [{ id: '00TDn0000000002AAA', status: 'Completed', isClosed: true, completedAt: '2026-11-24T08:00:00.000Z', modifiedAt: '2026-11-24T08:00:01.000Z' }],
    ]);
  });
});
