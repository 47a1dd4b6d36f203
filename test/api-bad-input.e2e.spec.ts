import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { BODY_LIMIT_BYTES, MAX_JSON_DEPTH } from '@apps/api/src/http/request-body';
import { deepJson } from './support/openapi-fuzz';
import { COMPLETE_PROFILE } from './support/program';
import { startTestService, TestService } from './support/service';

describe('bad input is a 4xx naming the field, and nothing is stored', () => {
  let service: TestService;
  let db: DataSource;
  let auth: { Authorization: string };
  const api = () => request(service.url);
  const storedProgram = async () => (await db.query(`SELECT settings FROM program_settings WHERE id = 1`))[0].settings;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: false, sandbox: false });
    db = service.app.get(DataSource);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
  });
  afterAll(() => service?.close());
  beforeEach(() => db.query(`UPDATE program_settings SET settings = '{}'`));

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels with 400 before validation, and a body over the limit with 413`, async () => {
    const atLimit = await api()
      .put('/api/program')
      .set(auth)
      .send({ rules: deepJson(MAX_JSON_DEPTH - 1) });
    expect([atLimit.status, atLimit.body.message]).toEqual([400, ['rules.a: is not a program setting']]); // parsed, then validated
    const deep = await api()
      .put('/api/program')
      .set(auth)
      .send({ rules: deepJson(MAX_JSON_DEPTH) });
    expect([deep.status, deep.body.message]).toEqual([400, [`body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`]]);
    // Deep as in an attack (100,000 levels): refused as fast, never walked recursively.
    const huge = await api()
      .put('/api/program')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('['.repeat(100_000) + ']'.repeat(100_000));
    expect(huge.status).toBe(400);
    const big = await api()
      .put('/api/program')
      .set(auth)
      .send({ companyName: 'x'.repeat(BODY_LIMIT_BYTES) });
    expect([big.status, big.body.message]).toEqual([413, ['body: larger than the limit of 1 MB']]);
    expect(await storedProgram()).toEqual({});
  });

  it('refuses NUL characters and lone surrogates anywhere in the body or the query, naming the path', async () => {
    const cases: Array<[string, string]> = [
      ['{"companyName": "Acme\\u0000"}', 'companyName: contains a NUL character'],
      ['{"rules": {"enterpriseTiers": ["gold", "pl\\u0000tinum"]}}', 'rules.enterpriseTiers[1]: contains a NUL character'],
      ['{"rules": {"themeKeywords": {"pricing": ["\\ud83d"]}}}', 'rules.themeKeywords.pricing[0]: contains a lone UTF-16 surrogate'],
      ['{"profile": {"senderName": "\\udc00 Team"}}', 'profile.senderName: contains a lone UTF-16 surrogate'],
      ['{"rules": {"x\\u0000": 1}}', 'rules.x\u0000: the field name contains a NUL character'],
    ];
    for (const [body, message] of cases) {
      const res = await api().put('/api/program').set(auth).set('Content-Type', 'application/json').send(body);
      expect([res.status, res.body.message]).toEqual([400, [expect.stringContaining(message)]]);
    }
    const emoji = await api().put('/api/program').set(auth).send({ companyName: 'Acme 🚀' }); // a surrogate pair is fine
    expect(emoji.status).toBe(200);
    const query = await api().get('/api/loop-closure?from=2026-01-01%00').set(auth);
    expect([query.status, query.body.message]).toEqual([400, [expect.stringMatching(/^from: contains a NUL character/)]]);
    expect(await storedProgram()).toEqual({ profile: { companyName: 'Acme 🚀' }, rules: {}, live: false });
  });

  it('refuses impossible dates naming the parameter', async () => {
    for (const [query, message] of [
      ['from=2026-02-30', 'from: must be a date (YYYY-MM-DD)'],
      ['to=2026-04-31', 'to: must be a date (YYYY-MM-DD)'],
      ['from=2025-02-29', 'from: must be a date (YYYY-MM-DD)'],
      ['to=0000-01-01', 'to: must be a date (YYYY-MM-DD)'],
      ['from=2026-1-5', 'from: must be a date (YYYY-MM-DD)'],
      ['from=2026-03-01&to=2026-02-28', 'to: must not be before from'],
    ]) {
      const res = await api().get(`/api/loop-closure?${query}`).set(auth);
      expect([query, res.status, res.body.message]).toEqual([query, 400, [message]]);
    }
    expect((await api().get('/api/loop-closure?from=2024-02-29&to=2026-02-28').set(auth)).status).toBe(200);
  });

  it('refuses ids that are not UUIDs with 400 naming the parameter; an unknown UUID is 404', async () => {
    for (const path of ['/api/connections/not-a-uuid', '/api/responses/1', '/api/connections/%00/sync-runs']) {
      const res = await api().get(path).set(auth);
      expect([path, res.status, res.body.message]).toEqual([path, 400, ['id: must be a UUID']]);
    }
    const hook = await api().post('/webhooks/helpdesk/abc').send({});
    expect([hook.status, hook.body.message]).toEqual([400, ['connectionId: must be a UUID']]);
    const unknown = await api().get('/api/connections/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f').set(auth);
    expect([unknown.status, unknown.body.message]).toEqual([404, 'no connection with id 6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f']);
  });

  it('program rules: whole numbers within a stated range, lists of non-empty names, exact money, consistent bounds', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ dailySendCap: 100_001 }, 'rules.dailySendCap: must be a whole number from 1 to 100000'],
      [{ suppressionWindowDays: 7.5 }, 'rules.suppressionWindowDays: must be a whole number from 0 to 365'],
      [{ ticketSendDelayHours: -1 }, 'rules.ticketSendDelayHours: must be a whole number from 0 to 720'],
      [{ followUp: { detractor: { dueHours: 0 } } }, 'rules.followUp.detractor.dueHours: must be a whole number from 1 to 2160'],
      [{ followUp: { promoter: { priority: 'urgent' } } }, 'rules.followUp.promoter.priority: must be one of high, normal, low'],
      [{ tenureBandUpperDays: { '0_90d': null } }, 'rules.tenureBandUpperDays.0_90d: must be a whole number from 1 to 36500'],
      [{ loopClosureAlertBelowPercent: 101 }, 'rules.loopClosureAlertBelowPercent: must be a number from 0 to 100'],
      [{ enterpriseTiers: ['gold', ' '] }, 'rules.enterpriseTiers: must be a list of non-empty texts (at most 500, each at most 200 characters)'],
      [{ enterpriseArrThreshold: '1e5' }, 'rules.enterpriseArrThreshold: must be an amount such as "100000.00" (a decimal string, at least 0)'],
      [{ leadershipOwnerId: '' }, 'rules.leadershipOwnerId: must be a non-empty text or null of at most 200 characters'],
      [{ preRenewalMinDaysAhead: 100 }, 'rules.preRenewalMaxDaysAhead: must not be less than preRenewalMinDaysAhead (100)'],
      [{ tenureBandUpperDays: { '91_180d': 60 } }, 'rules.tenureBandUpperDays.91_180d: must be more than 0_90d (90)'],
    ];
    for (const [rules, message] of cases) {
      const res = await api().put('/api/program').set(auth).send({ rules });
      expect([rules, res.status, res.body.message]).toEqual([rules, 400, [message]]);
    }
    expect(await storedProgram()).toEqual({});
  });

  it('profile names and sender are non-empty; a set item cannot be nulled; a GET answer can be PUT back unchanged', async () => {
    for (const [body, message] of [
      [{ companyName: '' }, /^companyName must not be blank/],
      [{ senderName: '   ' }, /^senderName must not be blank/],
      [{ senderEmail: 'not-an-email' }, /^senderEmail must be an email/],
      [{ profile: { productName: 5 } }, /^profile\.productName must be a string/],
      [{ profile: null }, /^profile must be an object/],
      [{ rules: null }, /^rules must be an object/],
      [{ live: null }, /^live must be a boolean/],
    ] as Array<[Record<string, unknown>, RegExp]>) {
      const res = await api().put('/api/program').set(auth).send(body);
      expect([body, res.status, res.body.message]).toEqual([body, 400, expect.arrayContaining([expect.stringMatching(message)])]);
    }

    const draft = await api().get('/api/program').set(auth);
    const unchanged = await api().put('/api/program').set(auth).send(draft.body);
    expect([unchanged.status, unchanged.body]).toEqual([200, draft.body]);

    const live = await api()
      .put('/api/program')
      .set(auth)
      .send({ ...COMPLETE_PROFILE, rules: { leadershipOwnerId: '005VP', dailySendCap: 50 }, live: true });
    expect(live.status).toBe(200);
    const shown = await api().get('/api/program').set(auth);
    const back = await api().put('/api/program').set(auth).send(shown.body);
    expect([back.status, back.body]).toEqual([200, shown.body]);
    expect((await api().get('/api/program').set(auth)).body).toEqual(shown.body);

    const nulled = await api()
      .put('/api/program')
      .set(auth)
      .send({ profile: { ...shown.body.profile, companyName: null } });
    expect([nulled.status, nulled.body.message]).toEqual([400, ['profile.companyName: must be a non-empty text; a set item can be changed but not removed']]);
    expect((await storedProgram()).profile).toEqual(COMPLETE_PROFILE);
  });
});
