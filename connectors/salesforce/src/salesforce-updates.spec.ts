import nock from 'nock';
import { sessionExpired } from '../fixtures/records';
import { api, Body, capture, COLLECTIONS, connector, HEADERS, id, signIn, unavailable } from '../fixtures/writes';
import { CrmRecordUpdate } from '@connectors/core/src';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('SalesforceConnector.updateRecords', () => {
  const update = (n: number, fields: CrmRecordUpdate['fields']): CrmRecordUpdate => ({ externalId: id('003', n), fields });

  it('PATCHes 401 contacts as 200/200/1 with their values as given, keyed by contact id', async () => {
    signIn();
    const bodies: Body[] = [];
    capture('patch', 3, bodies);
    const fields = { NPS_Last_Score__c: 9, NPS_Last_Category__c: 'promoter', NPS_Last_Response_Date__c: '2026-11-20', NPS_Last_Comment__c: null, Flag__c: true };

    const results = await connector().updateRecords(
      'contact',
      Array.from({ length: 401 }, (_, i) => update(i, fields)),
    );

    expect(bodies.map((b) => b.records.length)).toEqual([200, 200, 1]);
    expect(bodies[2]).toEqual({ allOrNone: false, records: [{ attributes: { type: 'Contact' }, ...fields, Id: id('003', 400) }] });
    expect(results[400]).toEqual({ key: id('003', 400), externalId: id('003', 400) });
  });

  it('writes Account for object account', async () => {
    signIn();
    const bodies: Body[] = [];
    capture('patch', 1, bodies);
    await connector().updateRecords('account', [{ externalId: id('001', 1), fields: { NPS_Relational__c: -20 } }]);
    expect(bodies[0].records).toEqual([{ attributes: { type: 'Account' }, NPS_Relational__c: -20, Id: id('001', 1) }]);
  });

  it('retries a 503 (an update can simply be repeated)', async () => {
    signIn();
    api().patch(COLLECTIONS).reply(503, unavailable, HEADERS);
    const bodies: Body[] = [];
    capture('patch', 1, bodies);
    const c = connector();

    expect(await c.updateRecords('contact', [update(1, { NPS_Last_Score__c: 3 })])).toEqual([{ key: id('003', 1), externalId: id('003', 1) }]);
    expect(bodies).toHaveLength(1);
    expect(c.apiCalls()).toBe(3);
  });

  it('after the retry budget, fails that request non-permanently (never outcomeUnknown) and sends no more', async () => {
    signIn();
    api().patch(COLLECTIONS).times(6).reply(503, unavailable, HEADERS);
    const next = api().patch(COLLECTIONS).reply(200, []);

    const results = await connector().updateRecords(
      'contact',
      Array.from({ length: 201 }, (_, i) => update(i, { NPS_Last_Score__c: 1 })),
    );

    expect(next.isDone()).toBe(false);
    expect(results[0].error).toEqual({ code: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable', permanent: false });
    expect(results[200].error).toMatchObject({ code: 'NOT_SENT', permanent: false });
  });

  it('on a whole-request 400 naming a field, fails the records carrying it and resends the others', async () => {
    signIn();
    const bodies: Body[] = [];
    api()
      .patch(COLLECTIONS, (body: Body) => bodies.push(body) > 0)
      .reply(400, [{ errorCode: 'INVALID_FIELD', message: "No such column 'Support_NPS_Last_Score__c' on sobject of type Contact", fields: [] }], HEADERS);
    capture('patch', 1, bodies);

    const results = await connector().updateRecords('contact', [
      update(1, { NPS_Last_Score__c: 9 }),
      update(2, { Support_NPS_Last_Score__c: 4 }),
      update(3, { NPS_Last_Score__c: 7, support_nps_last_score__c: 5 }),
    ]);

    expect(bodies.map((b) => b.records.map((r) => r.Id))).toEqual([[id('003', 1), id('003', 2), id('003', 3)], [id('003', 1)]]);
    const refused = { code: 'INVALID_FIELD', message: "No such column 'Support_NPS_Last_Score__c' on sobject of type Contact", permanent: true };
    expect(results).toEqual([
      { key: id('003', 1), externalId: id('003', 1) },
      { key: id('003', 2), error: refused },
      { key: id('003', 3), error: refused },
    ]);
  });

  it('fails every record of a whole-request 400 that names no field, and goes on with the next request', async () => {
    signIn();
    api()
      .patch(COLLECTIONS)
      .reply(400, [{ errorCode: 'JSON_PARSER_ERROR', message: 'Unexpected character' }], HEADERS);
    const bodies: Body[] = [];
    capture('patch', 1, bodies);

    const results = await connector().updateRecords(
      'contact',
      Array.from({ length: 201 }, (_, i) => update(i, { NPS_Last_Score__c: 1 })),
    );

    expect(results[0].error).toEqual({ code: 'JSON_PARSER_ERROR', message: 'Unexpected character', permanent: true });
    expect(results[199].error?.code).toBe('JSON_PARSER_ERROR');
    expect(results[200]).toEqual({ key: id('003', 200), externalId: id('003', 200) });
  });

  it('puts the same record twice into separate requests, in order', async () => {
    signIn();
    const bodies: Body[] = [];
    capture('patch', 2, bodies);
    await connector().updateRecords('contact', [update(1, { NPS_Last_Score__c: 1 }), update(2, { NPS_Last_Score__c: 2 }), update(1, { NPS_Last_Score__c: 3 })]);
    expect(bodies.map((b) => b.records.map((r) => [r.Id, r.NPS_Last_Score__c]))).toEqual([
      [
        [id('003', 1), 1],
        [id('003', 2), 2],
      ],
      [[id('003', 1), 3]],
    ]);
  });

  it('refuses values JSON cannot carry and malformed ids without a request', async () => {
    const c = connector();
    expect(await c.updateRecords('contact', [update(1, { NPS_Last_Score__c: Number.NaN }), { externalId: 'nope', fields: { X__c: 1 } }])).toEqual([
      { key: id('003', 1), error: { code: 'BAD_VALUE', message: 'NPS_Last_Score__c: NaN is not a value Salesforce can store', permanent: true } },
      { key: 'nope', error: { code: 'MALFORMED_ID', message: '"nope" is not a Salesforce id', permanent: true } },
    ]);
    expect(c.apiCalls()).toBe(0);
  });

  it('throws an auth failure', async () => {
    signIn();
    api().patch(COLLECTIONS).reply(401, sessionExpired);
    signIn('00DDn!second');
    api().patch(COLLECTIONS).reply(401, sessionExpired);
    await expect(connector().updateRecords('contact', [update(1, { NPS_Last_Score__c: 1 })])).rejects.toMatchObject({ kind: 'auth', details: { code: 'INVALID_SESSION_ID' } });
  });
});
