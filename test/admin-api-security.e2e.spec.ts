import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { startTestService, TestService } from './support/service';

describe('admin API security', () => {
  let service: TestService;
  let key: string;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: false, sandbox: false });
    key = (await service.app.get(AdminKeyService).create('test', 'test')).key;
  });
  afterAll(() => service.close());

  it('answers 401 to an /api call without a key, naming what is needed', async () => {
    const res = await request(service.url).get('/api/admin-keys');
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/Authorization: Bearer/);
  });

  it('answers 401 to an unknown /api path without a key (nothing to discover)', async () => {
    expect((await request(service.url).get('/api/no-such-thing')).status).toBe(401);
  });

  it('answers 401 to a wrong key and to a malformed header', async () => {
    const wrong = await request(service.url).get('/api/admin-keys').set('Authorization', `Bearer ${key}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toMatch(/not valid/);
    const basic = await request(service.url).get('/api/admin-keys').set('Authorization', `Basic ${key}`);
    expect(basic.status).toBe(401);
  });

  it('serves the call with a valid key and never returns the key or its hash', async () => {
    const res = await request(service.url).get('/api/admin-keys').set('Authorization', `Bearer ${key}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ name: 'test', prefix: key.slice(0, 12), revokedAt: null })]);
    expect(JSON.stringify(res.body)).not.toContain(key);
    expect(res.body[0]).not.toHaveProperty('keyHash');
  });

  it('stores keys hashed: the database holds no key in clear', async () => {
    const rows: Array<{ key_hash: string }> = await service.app.get(DataSource).query('SELECT key_hash FROM admin_keys');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.key_hash)).not.toContain(key);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
  });

  it('creates a key over the API (shown once) and rejects a bad body naming the field', async () => {
    const auth = { Authorization: `Bearer ${key}` };
    const bad = await request(service.url).post('/api/admin-keys').set(auth).send({ name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^name /)]));
    const extra = await request(service.url).post('/api/admin-keys').set(auth).send({ name: 'ci', role: 'root' });
    expect(extra.status).toBe(400);
    expect(extra.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/role should not exist/)]));

    const created = await request(service.url).post('/api/admin-keys').set(auth).send({ name: 'ci' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^npsb_[A-Za-z0-9_-]{43}$/);
    const withNew = await request(service.url).get('/api/admin-keys').set('Authorization', `Bearer ${created.body.key}`);
    expect(withNew.status).toBe(200);
  });

  it('a revoked key stops working at once', async () => {
    const auth = { Authorization: `Bearer ${key}` };
    const created = await request(service.url).post('/api/admin-keys').set(auth).send({ name: 'temp' });
    const revoke = await request(service.url).delete(`/api/admin-keys/${created.body.id}`).set(auth);
    expect(revoke.status).toBe(204);
    const after = await request(service.url).get('/api/admin-keys').set('Authorization', `Bearer ${created.body.key}`);
    expect(after.status).toBe(401);
    const again = await request(service.url).delete(`/api/admin-keys/${created.body.id}`).set(auth);
    expect(again.status).toBe(404);
    const notUuid = await request(service.url).delete('/api/admin-keys/abc').set(auth);
    expect(notUuid.status).toBe(400);
  });

  it('keeps /health and /docs open', async () => {
    const health = await request(service.url).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', database: 'up', queue: 'up' });
    const docs = await request(service.url).get('/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/admin-keys', '/health']));
  });
});
