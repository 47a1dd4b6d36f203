import { BaseExceptionFilter } from '@nestjs/core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { CRM_CONNECTORS } from '@connectors/core/registry';
import { CrmConnector, DEFAULT_RETRY } from '@connectors/core/src';
import { createZendeskSandbox, SANDBOX_DEFAULTS, ZendeskSandbox } from '@apps/sandbox/src/zendesk';
import { ScriptedCrmData, scriptedCrmFactory } from './support/scripted-crm';
import { startTestService, TestService } from './support/service';
import { connectZendeskSandbox } from './support/zendesk-connection';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

/** A CRM whose connection test fails with a bug (not a vendor answer): the service must not leak it. */
const BUG = 'pool exhausted: postgres://nps:hunter2@db/nps';

describe("connections: unique names, merged settings, vendor errors in the vendor's words", () => {
  let service: TestService;
  let db: DataSource;
  let auth: { Authorization: string };
  let zendesk: ZendeskSandbox;
  let served: ListeningSandbox;
  const api = () => request(service.url);

  beforeAll(async () => {
    const scripted = scriptedCrmFactory(new ScriptedCrmData());
    CRM_CONNECTORS.faulty = {
      ...scripted,
      kind: 'faulty',
      create: (context) => Object.assign(scripted.create(context), { testConnection: () => Promise.reject(new Error(BUG)) }) as CrmConnector,
    };
    ConnectorBuilder.sleepOverride = async () => undefined; // vendor backoff takes no wall time
    service = await startTestService({ api: true, worker: false, sandbox: false });
    db = service.app.get(DataSource);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
    zendesk = createZendeskSandbox({ seed: 5, users: 2, tickets: 0 });
    served = await listenSandbox(zendesk);
  });
  afterAll(async () => {
    await served?.close();
    await service?.close();
    delete CRM_CONNECTORS.faulty;
    ConnectorBuilder.sleepOverride = undefined;
  });
  beforeEach(() => db.query(`TRUNCATE connections CASCADE`));

  const zendeskCredentials = (apiToken: string = SANDBOX_DEFAULTS.apiToken) => ({
    authType: 'api_token',
    subdomain: 'acme',
    email: SANDBOX_DEFAULTS.adminEmail,
    apiToken,
    baseUrl: served.url,
  });
  const create = (name: string, apiToken?: string) =>
    api()
      .post('/api/connections')
      .set(auth)
      .send({ kind: 'zendesk', name, credentials: zendeskCredentials(apiToken) });

  it('a duplicate name (any case) is 409 naming the name, on create and on rename; a deleted one frees it', async () => {
    expect((await create('Support')).status).toBe(201);
    const again = await create('support');
    expect([again.status, again.body.message]).toEqual([409, [expect.stringMatching(/^name: another connection already has this name/)]]);
    const other = await create('Billing desk');
    const rename = await api().patch(`/api/connections/${other.body.id}`).set(auth).send({ name: 'SUPPORT' });
    expect([rename.status, rename.body.message]).toEqual([409, [expect.stringMatching(/^name: /)]]);
    expect((await db.query(`SELECT name FROM connections ORDER BY name`)).map((r: { name: string }) => r.name)).toEqual(['Billing desk', 'Support']);

    const [support] = await db.query(`SELECT id FROM connections WHERE name = 'Support'`);
    expect((await api().delete(`/api/connections/${support.id}`).set(auth)).status).toBe(204);
    expect((await create('Support')).status).toBe(201);
  });

  it('PATCH refuses null for name, settings and enabled, naming the field, and changes nothing', async () => {
    const { body } = await create('Support');
    for (const field of ['name', 'settings', 'credentials', 'enabled']) {
      const res = await api()
        .patch(`/api/connections/${body.id}`)
        .set(auth)
        .send({ [field]: null });
      expect([field, res.status, res.body.message]).toEqual([field, 400, expect.arrayContaining([expect.stringMatching(new RegExp(`^${field} `))])]);
    }
    expect((await api().get(`/api/connections/${body.id}`).set(auth)).body).toMatchObject({ name: 'Support', status: 'pending' });
  });

  it('PATCH settings changes only the given keys and keeps the score field setup stored; the merged whole is validated', async () => {
    const { connectionId, setup } = await connectZendeskSandbox(service.url, auth, served.url);
    const stored = async () => (await db.query(`SELECT settings FROM connections WHERE id = $1`, [connectionId]))[0].settings;
    // The setup answer gives the field id as opaque text; the Zendesk connection stores its number.
    const scoreFieldId = Number(setup.scoreFieldId);
    expect(setup).toEqual({
      kind: 'helpdesk',
      webhookId: expect.any(String),
      ruleId: expect.any(String),
      webhookUrl: `${service.url}/webhooks/helpdesk/${connectionId}`,
      scoreFieldId: expect.stringMatching(/^[1-9]\d*$/),
      scoreFieldCreated: expect.any(Boolean),
    });
    expect(await stored()).toEqual({ npsScoreFieldId: scoreFieldId });

    const patched = await api()
      .patch(`/api/connections/${connectionId}`)
      .set(auth)
      .send({ settings: { requestsPerMinute: 100 } });
    expect(patched.status).toBe(200);
    expect(patched.body.settings).toMatchObject({ npsScoreFieldId: scoreFieldId, requestsPerMinute: 100 });
    expect(await stored()).toEqual({ npsScoreFieldId: scoreFieldId, requestsPerMinute: 100 });

    const second = await api()
      .patch(`/api/connections/${connectionId}`)
      .set(auth)
      .send({ settings: { exportRequestsPerMinute: 5 } });
    expect(second.status).toBe(200);
    expect(await stored()).toEqual({ npsScoreFieldId: scoreFieldId, requestsPerMinute: 100, exportRequestsPerMinute: 5 });

    const refused: Array<[unknown, RegExp]> = [
      [null, /^settings /],
      [{ requestsPerMinute: null }, /^settings\.requestsPerMinute: /],
      [{ requestsPerMinute: 0 }, /^settings\.requestsPerMinute: /],
      [{ npsScoreFieldId: 'abc' }, /^settings\.npsScoreFieldId: /],
      [{ webhookUrl: 'x' }, /^settings\.webhookUrl: /],
    ];
    for (const [settings, message] of refused) {
      const res = await api().patch(`/api/connections/${connectionId}`).set(auth).send({ settings });
      expect([res.status, res.body.message]).toEqual([400, expect.arrayContaining([expect.stringMatching(message)])]);
    }
    expect(await stored()).toEqual({ npsScoreFieldId: scoreFieldId, requestsPerMinute: 100, exportRequestsPerMinute: 5 });
  });

  it("a vendor outage on the connection test answers 502 with the vendor's words", async () => {
    const { body } = await create('Support');
    zendesk.outage(true, 1);
    try {
      const res = await api().post(`/api/connections/${body.id}/test`).set(auth);
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ vendor: 'zendesk', vendorStatus: 503, message: [expect.stringMatching(/^zendesk: is unavailable: Zendesk is temporarily unavailable/)] });
    } finally {
      zendesk.outage(false);
    }
  });

  it('a vendor that keeps rate limiting answers 429 with its wait as Retry-After', async () => {
    const { body } = await create('Support');
    zendesk.failNext(DEFAULT_RETRY.maxAttempts, 'rate_limited', 7); // every attempt the connector makes
    const res = await api().post(`/api/connections/${body.id}/test`).set(auth);
    expect([res.status, res.headers['retry-after']]).toEqual([429, '7']);
    expect(res.body).toMatchObject({ vendor: 'zendesk', vendorStatus: 429, message: [expect.stringMatching(/^zendesk: rate limited, try again later: /)] });
  });

  it("refused credentials during setup answer 424 with the vendor's words, naming the credentials", async () => {
    const { body } = await create('Support', 'not-the-token');
    const res = await api().post(`/api/connections/${body.id}/setup`).set(auth);
    expect(res.status).toBe(424);
    expect(res.body).toMatchObject({ vendor: 'zendesk', vendorStatus: 401, message: [expect.stringMatching(/^credentials: zendesk refused them: Couldn't authenticate you/)] });
  });

  it('a bug is logged and answered 500 with a generic message that leaks nothing', async () => {
    const logged = jest.spyOn((BaseExceptionFilter as unknown as { logger: { error: (e: unknown) => void } }).logger, 'error').mockImplementation(() => undefined);
    try {
      const { body } = await api()
        .post('/api/connections')
        .set(auth)
        .send({ kind: 'faulty', name: 'Faulty', credentials: { token: 't' } });
      const res = await api().post(`/api/connections/${body.id}/test`).set(auth);
      expect([res.status, res.body]).toEqual([500, { statusCode: 500, message: 'Internal server error' }]);
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ message: BUG }));
    } finally {
      logged.mockRestore();
    }
  });
});
