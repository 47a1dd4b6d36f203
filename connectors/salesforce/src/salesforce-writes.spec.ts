import nock from 'nock';
import { DATA, LOGIN_URL, limitExceeded, queryPage, sessionExpired } from '../fixtures/records';
import { api, Body, capture, COLLECTIONS, connector, HEADERS, id, signIn, unavailable } from '../fixtures/writes';
import { drop, json, localInstance, stall } from '../fixtures/local-instance';
import { CrmTaskInput, VendorError } from '@connectors/core/src';
import { tasksCreatedQuery, taskStateQuery } from './salesforce-writes';

function task(i: number, patch: Partial<CrmTaskInput> = {}): CrmTaskInput {
  return {
    key: `fu-${i}`,
    accountExternalId: id('001', 1),
    contactExternalId: id('003', 1),
    ownerExternalId: id('005', 1),
    // 23:30 in New York on the 25th is already the 26th in UTC.
    due: new Date('2026-11-25T23:30:00-05:00'),
    priority: 'high',
    subject: `NPS detractor follow-up ${i}`,
    description: `score 3, comment ${i}`,
    ...patch,
  };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('SalesforceConnector.createTasks', () => {
  it('sends 401 tasks as exactly 3 POSTs of 200/200/1 Tasks and maps every id back to its key', async () => {
    signIn();
    const bodies: Body[] = [];
    const posts = capture('post', 3, bodies);
    const c = connector();
    const tasks = Array.from({ length: 401 }, (_, i) => task(i, i === 400 ? { contactExternalId: null, ownerExternalId: null, priority: 'low' } : {}));

    const results = await c.createTasks(tasks);

    expect(posts.isDone()).toBe(true);
    expect(bodies.map((b) => b.records.length)).toEqual([200, 200, 1]);
    expect(bodies.every((b) => b.allOrNone === false)).toBe(true);
    expect(bodies[0].records[0]).toEqual({
      attributes: { type: 'Task' },
      Subject: 'NPS detractor follow-up 0',
      WhoId: id('003', 1),
      WhatId: id('001', 1),
      OwnerId: id('005', 1),
      ActivityDate: '2026-11-26',
      Priority: 'High',
      Status: 'Not Started',
      Description: 'score 3, comment 0',
    });
    // No contact, no owner: WhoId and OwnerId are left out, not sent as null.
    expect(bodies[2].records[0]).toEqual({
      attributes: { type: 'Task' },
      Subject: 'NPS detractor follow-up 400',
      WhatId: id('001', 1),
      ActivityDate: '2026-11-26',
      Priority: 'Low',
      Status: 'Not Started',
      Description: 'score 3, comment 400',
    });
    expect(results).toHaveLength(401);
    expect(results[0]).toEqual({ key: 'fu-0', externalId: id('00T', 0) });
    expect(results[400]).toEqual({ key: 'fu-400', externalId: id('00T', 400) });
    expect(c.apiCalls()).toBe(4);
  });

  it('maps record-level errors with Salesforce statusCode, permanent only for errors that would repeat', async () => {
    signIn();
    api()
      .post(COLLECTIONS)
      .reply(
        200,
        [
          { id: id('00T', 0), success: true, errors: [] },
          { success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'Name ID: id value of incorrect type: 003bad', fields: ['WhoId'] }] },
          { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] }] },
          {
            success: false,
            errors: [
              { statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Due date required', fields: [] },
              { statusCode: 'REQUIRED_FIELD_MISSING', message: 'Subject', fields: [] },
            ],
          },
        ],
        HEADERS,
      );

    expect(await connector().createTasks([task(0), task(1), task(2), task(3)])).toEqual([
      { key: 'fu-0', externalId: id('00T', 0) },
      { key: 'fu-1', error: { code: 'INVALID_CROSS_REFERENCE_KEY', message: 'Name ID: id value of incorrect type: 003bad', permanent: true } },
      { key: 'fu-2', error: { code: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', permanent: false } },
      { key: 'fu-3', error: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Due date required; Subject', permanent: true } },
    ]);
  });

  it('never resends a POST answered 503: its records are outcomeUnknown, later requests NOT_SENT', async () => {
    signIn();
    const bodies: Body[] = [];
    capture('post', 1, bodies);
    const failed = api().post(COLLECTIONS).once().reply(503, unavailable, HEADERS);
    const resent = api().post(COLLECTIONS).reply(200, []);
    const c = connector();

    const results = await c.createTasks(Array.from({ length: 450 }, (_, i) => task(i)));

    expect(failed.isDone()).toBe(true);
    expect(resent.isDone()).toBe(false);
    expect(c.apiCalls()).toBe(3);
    expect(results.slice(0, 200).every((r) => r.externalId && !r.error)).toBe(true);
    expect(results[200]).toEqual({
      key: 'fu-200',
      error: { code: 'SERVER_UNAVAILABLE', message: expect.stringContaining('Server temporarily unavailable'), permanent: false, outcomeUnknown: true },
    });
    expect(results.slice(200, 400).every((r) => r.error?.outcomeUnknown === true)).toBe(true);
    expect(results[400]).toEqual({ key: 'fu-400', error: { code: 'NOT_SENT', message: expect.stringContaining('not sent'), permanent: false } });
    expect(results.slice(400).every((r) => r.error?.code === 'NOT_SENT' && r.error.outcomeUnknown === undefined)).toBe(true);
  });

  it('never resends a POST whose connection dropped', async () => {
    // A real reset socket, not nock's replyWithError: see fixtures/local-instance.ts.
    const instance = await localInstance(drop, json(200, []));
    try {
      signIn('00DDn!first', instance.url);
      const c = connector();

      const results = await c.createTasks([task(0), task(1)]);

      expect(instance.requests).toEqual([`POST ${COLLECTIONS}`]);
      expect(results.map((r) => [r.key, r.error?.code, r.error?.outcomeUnknown])).toEqual([
        ['fu-0', 'ECONNRESET', true],
        ['fu-1', 'ECONNRESET', true],
      ]);
      expect(c.apiCalls()).toBe(2);
    } finally {
      await instance.close();
    }
  });

  it('gives up on an answer that stalls mid-body at the deadline: outcome unknown, never resent', async () => {
    const instance = await localInstance(stall, json(200, []));
    try {
      signIn('00DDn!first', instance.url);
      const c = connector({ requestTimeoutMs: 300 });

      const results = await c.createTasks([task(0)]);

      expect(instance.requests).toEqual([`POST ${COLLECTIONS}`]);
      expect(results).toEqual([{ key: 'fu-0', error: expect.objectContaining({ code: 'ETIMEDOUT', outcomeUnknown: true, permanent: false }) }]);
    } finally {
      await instance.close();
    }
  });

  it('retries a POST refused with REQUEST_LIMIT_EXCEEDED (nothing was written) and then succeeds', async () => {
    signIn();
    const limited = api().post(COLLECTIONS).reply(403, limitExceeded, HEADERS);
    const bodies: Body[] = [];
    capture('post', 1, bodies);
    const c = connector();

    expect(await c.createTasks([task(0)])).toEqual([{ key: 'fu-0', externalId: id('00T', 0) }]);
    expect(limited.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(c.apiCalls()).toBe(3);
  });

  it('replays a POST refused with 401 after a new session (Salesforce applied nothing)', async () => {
    signIn();
    api().post(COLLECTIONS).reply(401, sessionExpired);
    signIn('00DDn!second');
    const replay = api()
      .matchHeader('authorization', 'Bearer 00DDn!second')
      .post(COLLECTIONS)
      .reply(200, [{ id: id('00T', 7), success: true, errors: [] }], HEADERS);

    expect(await connector().createTasks([task(0)])).toEqual([{ key: 'fu-0', externalId: id('00T', 7) }]);
    expect(replay.isDone()).toBe(true);
  });

  it('throws an auth failure when nothing was written yet', async () => {
    signIn();
    api().post(COLLECTIONS).reply(401, sessionExpired);
    nock(LOGIN_URL).post('/services/oauth2/token').reply(400, { error: 'invalid_client', error_description: 'invalid client credentials' });

    const error = await connector()
      .createTasks([task(0)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ kind: 'auth', message: 'invalid client credentials' });
  });

  it('returns, not throws, an auth failure after an earlier request created tasks (their ids must not be lost)', async () => {
    signIn();
    capture('post', 1, []);
    api().post(COLLECTIONS).reply(401, sessionExpired);
    nock(LOGIN_URL).post('/services/oauth2/token').reply(400, { error: 'invalid_client', error_description: 'invalid client credentials' });

    const results = await connector().createTasks(Array.from({ length: 401 }, (_, i) => task(i)));

    expect(results[199]).toEqual({ key: 'fu-199', externalId: id('00T', 199) });
    expect(results[200].error).toMatchObject({ code: 'invalid_client', permanent: false });
    expect(results[200].error?.outcomeUnknown).toBeUndefined();
    expect(results[400].error?.code).toBe('NOT_SENT');
  });

  it('refuses inputs it can tell are wrong without a request, and sends the rest', async () => {
    signIn();
    const bodies: Body[] = [];
    capture('post', 1, bodies);

    const results = await connector().createTasks([task(0, { accountExternalId: '001 bad' }), task(1), task(2, { due: new Date('nope') })]);

    expect(results).toEqual([
      { key: 'fu-0', error: { code: 'MALFORMED_ID', message: 'WhatId: "001 bad" is not a Salesforce id', permanent: true } },
      { key: 'fu-1', externalId: id('00T', 0) },
      { key: 'fu-2', error: { code: 'BAD_VALUE', message: 'due: Invalid Date is not a date', permanent: true } },
    ]);
    expect(bodies.map((b) => b.records.map((r) => r.Subject))).toEqual([['NPS detractor follow-up 1']]);
  });

  it('sends nothing for no tasks', async () => {
    const c = connector();
    expect(await c.createTasks([])).toEqual([]);
    expect(c.apiCalls()).toBe(0);
  });
});

describe('SalesforceConnector.readTasks and findTasksCreatedSince', () => {
  const row = (n: number, patch: Record<string, unknown>) => ({ attributes: { type: 'Task', url: `${DATA}/sobjects/Task/${id('00T', n)}` }, Id: id('00T', n), ...patch });

  it('reads our tasks changed since the cursor, following nextRecordsUrl; completedAt falls back to LastModifiedDate', async () => {
    signIn();
    const since = '2026-11-23T10:00:00.000Z';
    const open = { IsClosed: false, CompletedDateTime: null, LastModifiedDate: '2026-11-23T10:00:00.000+0000', SystemModstamp: '2026-11-23T10:00:00.000+0000' };
    api()
      .get(`${DATA}/query`)
      .query({ q: taskStateQuery(since) })
      .reply(200, queryPage([row(1, open)], 3, `${DATA}/query/01gDn00000LocAtRAA-1`), HEADERS)
      .get(`${DATA}/query/01gDn00000LocAtRAA-1`)
      .reply(
        200,
        queryPage(
          [
            row(2, { ...open, IsClosed: true, CompletedDateTime: '2026-11-24T07:59:00.000+0000', SystemModstamp: '2026-11-24T08:00:00.000+0000' }),
            row(3, { ...open, IsClosed: true, LastModifiedDate: '2026-11-24T09:00:00.000+0000', SystemModstamp: '2026-11-24T09:00:01.000+0000' }),
          ],
          3,
        ),
        HEADERS,
      );

    const pages = [];
    for await (const page of connector().readTasks(since)) pages.push(page);

    expect(taskStateQuery(since)).toBe(
      "SELECT Id, IsClosed, CompletedDateTime, LastModifiedDate, SystemModstamp FROM Task WHERE Subject LIKE 'NPS%' AND SystemModstamp >= 2026-11-23T10:00:00.000Z ORDER BY SystemModstamp ASC, Id ASC",
    );
    expect(pages).toEqual([
      [{ externalId: id('00T', 1), completed: false, completedAt: null, modifiedAt: '2026-11-23T10:00:00.000Z' }],
      [
        { externalId: id('00T', 2), completed: true, completedAt: '2026-11-24T07:59:00.000Z', modifiedAt: '2026-11-24T08:00:00.000Z' },
        { externalId: id('00T', 3), completed: true, completedAt: '2026-11-24T09:00:00.000Z', modifiedAt: '2026-11-24T09:00:01.000Z' },
      ],
    ]);
  });

  it('reads all our tasks without a cursor', () => {
    expect(taskStateQuery(null)).toBe(
      "SELECT Id, IsClosed, CompletedDateTime, LastModifiedDate, SystemModstamp FROM Task WHERE Subject LIKE 'NPS%' ORDER BY SystemModstamp ASC, Id ASC",
    );
  });

  it('finds our tasks created since an instant, page by page, with what identifies them', async () => {
    signIn();
    const since = new Date('2026-11-23T10:00:00+01:00');
    api()
      .get(`${DATA}/query`)
      .query({ q: "SELECT Id, Subject, WhoId, WhatId, ActivityDate FROM Task WHERE Subject LIKE 'NPS%' AND CreatedDate >= 2026-11-23T09:00:00.000Z ORDER BY CreatedDate, Id" })
      .reply(
        200,
        queryPage([row(1, { Subject: 'NPS detractor follow-up', WhoId: id('003', 1), WhatId: id('001', 1), ActivityDate: '2026-11-26' })], 2, `${DATA}/query/01gDn00000LocAtRAA-1`),
        HEADERS,
      )
      .get(`${DATA}/query/01gDn00000LocAtRAA-1`)
      .reply(200, queryPage([row(2, { Subject: 'NPS promoter ask', WhoId: null, WhatId: id('001', 2), ActivityDate: null })], 2), HEADERS);

    const pages = [];
    for await (const page of connector().findTasksCreatedSince(since)) pages.push(page);

    expect(tasksCreatedQuery(since)).toContain('CreatedDate >= 2026-11-23T09:00:00.000Z');
    expect(pages).toEqual([
      [{ externalId: id('00T', 1), subject: 'NPS detractor follow-up', contactExternalId: id('003', 1), accountExternalId: id('001', 1), dueDate: '2026-11-26' }],
      [{ externalId: id('00T', 2), subject: 'NPS promoter ask', contactExternalId: null, accountExternalId: id('001', 2), dueDate: '' }],
    ]);
  });
});
