import request from 'supertest';
import { DataSource } from 'typeorm';
import { CRM_CONNECTORS } from '@connectors/core/registry';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ScriptedCrmData, scriptedCrmFactory } from './support/scripted-crm';
import { startTestService, TestService } from './support/service';

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('connections admin API', () => {
  let service: TestService;
  let auth: { Authorization: string };
  const data = new ScriptedCrmData();

  beforeAll(async () => {
    CRM_CONNECTORS.scripted = scriptedCrmFactory(data);
    data.put('accounts', {
      externalId: 'A1',
      name: 'Acme',
      arr: '12000.00',
      arrCurrency: 'USD',
      renewalDate: null,
      tier: null,
      customerSince: null,
      ownerExternalId: null,
      usageScore: null,
    });
    service = await startTestService({ api: true, worker: true, sandbox: false });
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
  });
  afterAll(async () => {
    await service.close();
    delete CRM_CONNECTORS.scripted;
  });

  it('rejects an unknown kind and bad credentials with messages naming the field', async () => {
    const unknown = await request(service.url).post('/api/connections').set(auth).send({ kind: 'pipedrive', name: 'x', credentials: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toEqual([expect.stringMatching(/^kind: must be one of .*scripted.*, got "pipedrive"$/)]);

    const bad = await request(service.url)
      .post('/api/connections')
      .set(auth)
      .send({ kind: 'scripted', name: 'x', credentials: { token: 5, extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(expect.arrayContaining(['credentials.token: token must be a string', 'credentials.extra: property extra should not exist']));
    const missing = await request(service.url).post('/api/connections').set(auth).send({ kind: 'scripted', name: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^credentials must be an object/)]));
  });

  it('creates a connection with credentials encrypted and never returned, and syncs it at once', async () => {
    const created = await request(service.url)
      .post('/api/connections')
      .set(auth)
      .send({ kind: 'scripted', name: 'Main CRM', credentials: { token: 'tok-secret-1' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'scripted', name: 'Main CRM', status: 'pending', settings: { dailyBudgetShare: 0.5 } });
    expect(JSON.stringify(created.body)).not.toContain('tok-secret-1');
    const [row] = await service.app.get(DataSource).query(`SELECT credentials_encrypted FROM connections WHERE id = $1`, [created.body.id]);
    expect(row.credentials_encrypted).toMatch(/^v2\.[0-9a-f]{8}\./); // names the key that sealed it
    expect(row.credentials_encrypted).not.toContain('tok-secret-1');

    const runs = await eventually(async () => {
      const res = await request(service.url).get(`/api/connections/${created.body.id}/sync-runs`).set(auth);
      return res.body[0]?.status === 'succeeded' ? res.body : undefined;
    });
    expect(runs[0]).toMatchObject({ trigger: 'manual', mode: 'full', recordsRead: 1, recordsCreated: 1, percent: 100 });
    const list = await request(service.url).get('/api/connections').set(auth);
    expect(list.body).toEqual([expect.objectContaining({ id: created.body.id, status: 'active' })]);
    expect(JSON.stringify(list.body)).not.toContain('tok-secret-1');
  });

  it('tests a connection: a refused login answers with the vendor message and marks it auth_failed', async () => {
    const created = await request(service.url)
      .post('/api/connections')
      .set(auth)
      .send({ kind: 'scripted', name: 'Second', credentials: { token: 't' } });
    data.rejectCredentials = 'invalid_client: client identifier invalid';
    try {
      const tested = await request(service.url).post(`/api/connections/${created.body.id}/test`).set(auth);
      expect(tested.status).toBe(200);
      expect(tested.body).toEqual({ ok: false, authenticated: false, message: 'invalid_client: client identifier invalid', missingFields: [] });
      const after = await request(service.url).get(`/api/connections/${created.body.id}`).set(auth);
      expect(after.body).toMatchObject({ status: 'auth_failed', statusReason: 'invalid_client: client identifier invalid' });
    } finally {
      data.rejectCredentials = undefined;
    }
  });

  it('queues an on-demand sync (202) and 404s an unknown connection', async () => {
    const [first] = (await request(service.url).get('/api/connections').set(auth)).body;
    const queued = await request(service.url).post(`/api/connections/${first.id}/sync`).set(auth).send({ full: true });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ status: 'queued', mode: 'full', trigger: 'manual' });
    const done = await eventually(async () => {
      const res = await request(service.url).get(`/api/connections/${first.id}/sync-runs`).set(auth);
      const run = res.body.find((r: { id: string }) => r.id === queued.body.id);
      return run?.status === 'succeeded' ? run : undefined;
    });
    expect(done.recordsRead).toBe(1);
    const missing = await request(service.url).post('/api/connections/00000000-0000-0000-0000-000000000000/sync').set(auth).send({});
    expect(missing.status).toBe(404);
    const badBody = await request(service.url).post(`/api/connections/${first.id}/sync`).set(auth).send({ full: 'yes' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.message).toEqual(['full must be a boolean value']);
  });

  it('updates settings with validation, and deletes', async () => {
    const [first] = (await request(service.url).get('/api/connections').set(auth)).body;
    const patched = await request(service.url).patch(`/api/connections/${first.id}`).set(auth).send({ name: 'Renamed', enabled: false });
    expect(patched.body).toMatchObject({ name: 'Renamed', status: 'disabled' });
    const removed = await request(service.url).delete(`/api/connections/${first.id}`).set(auth);
    expect(removed.status).toBe(204);
    expect((await request(service.url).get(`/api/connections/${first.id}`).set(auth)).status).toBe(404);
  });
});
