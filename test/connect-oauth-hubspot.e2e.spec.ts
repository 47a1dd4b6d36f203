import request from 'supertest';
import { DataSource } from 'typeorm';
import { HubSpotSandbox } from '@apps/sandbox/src/hubspot';
import { Sandboxes } from '@apps/sandbox/src/sandboxes';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { until } from './support/demo-service';
import { answerConsent, connectThroughConsent, followCallback, openConsent, startFlow, storedCredentials } from './support/oauth-connect';
import { startTestService, TestService } from './support/service';

const APP = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' };

describe('connecting HubSpot with an OAuth app', () => {
  let service: TestService;
  let auth: Record<string, string>;
  let sandbox: HubSpotSandbox;
  let portalUrl: string;

  beforeAll(async () => {
    service = await startTestService();
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('oauth', 'test')).key}` };
    sandbox = (service.sandboxes as Sandboxes).get('hubspot')!.sandbox as unknown as HubSpotSandbox;
    portalUrl = `${service.url}/sandbox/hubspot`;
  });
  afterAll(() => service?.close());

  const flow = (name: string, extra: Record<string, unknown> = {}) => ({
    kind: 'hubspot',
    name,
    ...APP,
    account: { baseUrl: portalUrl },
    settings: { roleMapping: { 'End User': 'end_user' } },
    returnTo: '/console/connections/new',
    ...extra,
  });
  const synced = (id: string) =>
    until(`the first sync of ${id}`, async () => {
      const [run] = (await request(service.url).get(`/api/connections/${id}/sync-runs`).set(auth)).body;
      if (run?.status === 'failed') throw new Error(`the sync failed: ${run.error}`);
      return run?.status === 'succeeded' ? run : undefined;
    });

  it('tells the admin the callback URL and the scopes the app needs', async () => {
    const app = await request(service.url).get('/api/oauth/apps/hubspot').set(auth);
    expect(app.body).toMatchObject({ kind: 'hubspot', callbackUrl: `${service.url}/oauth/callback/hubspot`, pkce: false });
    expect(app.body.scopes).toEqual(expect.arrayContaining(['crm.objects.companies.read', 'crm.objects.contacts.write', 'crm.objects.owners.read', 'crm.schemas.companies.write']));
    expect(app.body.accountFields).toEqual([expect.objectContaining({ name: 'baseUrl', required: false })]);
  });

  it('runs the flow: consent page, code exchanged, tokens stored encrypted; the connection tests OK, syncs and lists its properties', async () => {
    const started = await startFlow(service.url, auth, flow('HubSpot (OAuth)'));
    const authorize = new URL(started.authorizeUrl);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${portalUrl}/oauth/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ client_id: APP.clientId, redirect_uri: `${service.url}/oauth/callback/hubspot`, state: expect.any(String) });
    expect(authorize.searchParams.get('scope')!.split(' ')).toContain('crm.objects.companies.read');

    const consent = await openConsent(started.authorizeUrl);
    expect(consent.html).toContain('<code>crm.objects.companies.read</code>: view companies records');
    const back = await followCallback(await answerConsent(consent, 'allow'));
    const landing = new URL(back.location!, service.url);
    expect(landing.searchParams.get('result')).toBe('connected');
    const connectionId = landing.searchParams.get('connection')!;

    const stored = await storedCredentials<{ accessToken: string; refreshToken: string; expiresAt: string }>(service.app, connectionId);
    expect(stored).toMatchObject({ authType: 'oauth', clientId: APP.clientId, clientSecret: APP.clientSecret, baseUrl: portalUrl });
    expect(Date.parse(stored.expiresAt) - Date.now()).toBeGreaterThan(1_700_000);
    expect(sandbox.oauthRefreshTokens()).toContain(stored.refreshToken);
    expect(stored.sealed).not.toContain(stored.refreshToken);

    expect((await request(service.url).post(`/api/connections/${connectionId}/test`).set(auth)).body).toMatchObject({ ok: true, authenticated: true });
    const run = await synced(connectionId);
    expect(run.recordsCreated).toBeGreaterThan(0);
    const [{ n }] = await service.app.get(DataSource).query(`SELECT count(*)::int AS n FROM accounts WHERE connection_id = $1 AND deleted_at IS NULL`, [connectionId]);
    expect(n).toBe(sandbox.counts().companies);

    const fields = await request(service.url).get(`/api/connections/${connectionId}/fields`).set(auth);
    expect(fields.body.object).toBe('account');
    expect(fields.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'arr', custom: true }), expect.objectContaining({ name: 'name', custom: false })]));
  });

  it('refreshes an expired access token once for concurrent callers and stores it encrypted', async () => {
    const { landing } = await connectThroughConsent(service.url, auth, flow('HubSpot renewals'));
    const connectionId = landing.searchParams.get('connection')!;
    await synced(connectionId);
    const before = await storedCredentials<{ accessToken: string; refreshToken: string }>(service.app, connectionId);
    const grants = sandbox.oauthGrants().refresh_token;
    sandbox.expireTokens();

    const answers = await Promise.all([1, 2, 3].map(() => request(service.url).get(`/api/connections/${connectionId}/fields?object=contact`).set(auth)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(sandbox.oauthGrants().refresh_token).toBe(grants + 1);
    const after = await storedCredentials<{ accessToken: string; refreshToken: string }>(service.app, connectionId);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken);

    sandbox.expireTokens();
    sandbox.revokeRefreshTokens();
    const refused = await request(service.url).post(`/api/connections/${connectionId}/test`).set(auth);
    expect(refused.body).toMatchObject({ ok: false, authenticated: false, message: 'missing or unknown refresh token' });
  });

  it("keeps HubSpot's words when the consent is denied or the code exchange is refused", async () => {
    const denied = await connectThroughConsent(service.url, auth, flow('Denied portal'), 'deny');
    expect(denied.landing.searchParams.get('error')).toBe('access_denied');
    expect((await request(service.url).get(`/api/oauth/authorizations/${denied.flow.id}`).set(auth)).body).toMatchObject({
      status: 'failed',
      error: { code: 'access_denied', message: 'The user denied the app access to the account' },
    });

    const wrongSecret = await connectThroughConsent(service.url, auth, flow('Wrong secret', { clientSecret: 'not-the-secret' }));
    expect(wrongSecret.landing.searchParams.get('error')).toBe('BAD_CLIENT_ID');
    expect((await request(service.url).get(`/api/oauth/authorizations/${wrongSecret.flow.id}`).set(auth)).body.error).toEqual({
      code: 'BAD_CLIENT_ID',
      message: 'missing or unknown client id',
    });

    const bogus = await followCallback(`${service.url}/oauth/callback/hubspot?code=x&state=forged`);
    expect(bogus.status).toBe(400);
    expect(bogus.body).toContain('state: unknown');
  });

  it('refuses a second connection of the same name before sending the admin to HubSpot', async () => {
    await connectThroughConsent(service.url, auth, flow('Named once'));
    const again = await request(service.url).post('/api/oauth/authorizations').set(auth).send(flow('NAMED ONCE'));
    expect(again.status).toBe(409);
    expect(again.body.message).toEqual(['name: another connection already has this name (names are unique, ignoring case)']);
  });
});
