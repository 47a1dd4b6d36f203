import request from 'supertest';
import { ZendeskSandbox, SANDBOX_DEFAULTS } from '@apps/sandbox/src/zendesk';
import { Sandboxes } from '@apps/sandbox/src/sandboxes';
import { withDefaults, zendeskConnector, ZendeskCredentials } from '@connectors/zendesk/src';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { answerConsent, connectThroughConsent, followCallback, openConsent, startFlow, storedCredentials } from './support/oauth-connect';
import { startTestService, TestService } from './support/service';

const APP = { clientId: SANDBOX_DEFAULTS.oauthClientId, clientSecret: SANDBOX_DEFAULTS.oauthClientSecret };
/** Zendesk's words for a refresh or code it does not take (connectors/zendesk/README.md "OAuth"). */
const INVALID_GRANT =
  'The provided access grant is invalid, expired, or revoked (e.g. invalid assertion, expired authorization token, bad end-user password credentials, or mismatching authorization code and redirection URI).';

type Stored = ZendeskCredentials & { sealed: string };

describe('connecting Zendesk with an OAuth client', () => {
  let service: TestService;
  let auth: Record<string, string>;
  let sandbox: ZendeskSandbox;
  let accountUrl: string;

  beforeAll(async () => {
    service = await startTestService();
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('oauth', 'test')).key}` };
    sandbox = (service.sandboxes as Sandboxes).get('zendesk')!.sandbox as unknown as ZendeskSandbox;
    accountUrl = `${service.url}/sandbox/zendesk`;
  });
  afterAll(() => service?.close());

  const flow = (name: string, extra: Record<string, unknown> = {}) => ({
    kind: 'zendesk',
    name,
    ...APP,
    account: { subdomain: 'acme', baseUrl: accountUrl },
    returnTo: '/console/connections/new',
    ...extra,
  });
  const tokenRequests = () => sandbox.requests().filter((r) => r.url === '/oauth/tokens').length;
  const connect = async (name: string) => (await connectThroughConsent(service.url, auth, flow(name))).landing.searchParams.get('connection')!;

  it('tells the admin the callback URL, the scopes and the account it needs', async () => {
    const app = await request(service.url).get('/api/oauth/apps/zendesk').set(auth);
    expect(app.body).toMatchObject({ kind: 'zendesk', callbackUrl: `${service.url}/oauth/callback/zendesk`, scopes: ['read', 'write'] });
    expect(app.body.accountFields).toEqual([
      expect.objectContaining({ name: 'subdomain', required: true }),
      expect.objectContaining({ name: 'baseUrl', required: false, format: 'uri' }),
    ]);
    const unnamed = await request(service.url)
      .post('/api/oauth/authorizations')
      .set(auth)
      .send(flow('No subdomain', { account: {} }));
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.message.length).toBeGreaterThan(0);
    expect(unnamed.body.message.every((m: string) => m.startsWith('account.subdomain: '))).toBe(true);
  });

  it('runs the flow; the connection tests OK, sets up its webhook and reads tickets with the access token', async () => {
    const started = await startFlow(service.url, auth, flow('Zendesk (OAuth)'));
    const authorize = new URL(started.authorizeUrl);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${accountUrl}/oauth/authorizations/new`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: APP.clientId,
      scope: 'read write',
      redirect_uri: `${service.url}/oauth/callback/zendesk`,
    });
    const back = await followCallback(await answerConsent(await openConsent(started.authorizeUrl), 'allow'));
    const connectionId = new URL(back.location!, service.url).searchParams.get('connection')!;

    const stored = await storedCredentials<Stored>(service.app, connectionId);
    expect(stored).toMatchObject({ authType: 'oauth', subdomain: 'acme', clientId: APP.clientId, clientSecret: APP.clientSecret, baseUrl: accountUrl });
    expect(Date.parse(stored.expiresAt!) - Date.now()).toBeGreaterThan(1_700_000);
    expect(stored.sealed).not.toContain(stored.refreshToken!);

    expect((await request(service.url).post(`/api/connections/${connectionId}/test`).set(auth)).body).toEqual({ ok: true, authenticated: true, message: null, missingFields: [] });
    const setup = await request(service.url).post(`/api/connections/${connectionId}/setup`).set(auth);
    expect(setup.body).toMatchObject({ kind: 'helpdesk', webhookUrl: `${service.url}/webhooks/helpdesk/${connectionId}` });
    expect(await storedCredentials<Stored>(service.app, connectionId)).toMatchObject({
      accessToken: stored.accessToken,
      refreshToken: stored.refreshToken,
      webhookSigningSecret: expect.any(String),
    });
    const read = await service.app.get(TicketEvents).reconcile(connectionId);
    expect(read.tickets).toBeGreaterThan(0);
  });

  it('renews an expired token once for concurrent callers; the used refresh token stops working and the webhook secret stays', async () => {
    const connectionId = await connect('Zendesk renewals');
    await request(service.url).post(`/api/connections/${connectionId}/setup`).set(auth).expect(200);
    const before = await storedCredentials<Stored>(service.app, connectionId);
    sandbox.resetCalls();
    sandbox.mutate({ action: 'expireTokens' });

    const answers = await Promise.all([1, 2, 3].map(() => request(service.url).post(`/api/connections/${connectionId}/test`).set(auth)));
    expect(answers.map((a) => a.body.ok)).toEqual([true, true, true]);
    expect(tokenRequests()).toBe(1);
    const after = await storedCredentials<Stored>(service.app, connectionId);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.webhookSigningSecret).toBe(before.webhookSigningSecret);

    // Zendesk ends the pair a refresh used: the old refresh token is refused in its words.
    const replay = await fetch(`${accountUrl}/oauth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: before.refreshToken, client_id: APP.clientId, client_secret: APP.clientSecret }),
    });
    expect({ status: replay.status, body: await replay.json() }).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: INVALID_GRANT } });
  });

  it('two processes holding the same stale tokens renew them once: the second takes what the first stored', async () => {
    const connectionId = await connect('Zendesk two processes');
    const builder = service.app.get(ConnectorBuilder);
    const stale = await storedCredentials<Stored>(service.app, connectionId);
    const credentials: Partial<Stored> = { ...stale };
    delete credentials.sealed;
    // Each as another process builds it: its own session, the stored credentials, the shared lock.
    const process = () =>
      zendeskConnector.create({
        credentials: credentials as ZendeskCredentials,
        settings: withDefaults(undefined),
        renewCredentials: (renew) => builder.changeCredentials(connectionId, renew),
      });
    sandbox.resetCalls();
    sandbox.mutate({ action: 'expireTokens' });
    const results = await Promise.all([process().testConnection(), process().testConnection()]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(tokenRequests()).toBe(1);
    expect((await storedCredentials<Stored>(service.app, connectionId)).refreshToken).not.toBe(stale.refreshToken);
  });

  it("refuses a denied consent and a revoked refresh token in Zendesk's words", async () => {
    const denied = await connectThroughConsent(service.url, auth, flow('Denied account'), 'deny');
    expect((await request(service.url).get(`/api/oauth/authorizations/${denied.flow.id}`).set(auth)).body.error).toEqual({
      code: 'access_denied',
      message: 'The resource owner or authorization server denied the request.',
    });

    const connectionId = await connect('Zendesk revoked');
    sandbox.mutate({ action: 'expireTokens' });
    sandbox.mutate({ action: 'revokeRefreshTokens' });
    const refused = await request(service.url).post(`/api/connections/${connectionId}/test`).set(auth);
    expect(refused.body).toMatchObject({ ok: false, authenticated: false, message: INVALID_GRANT });
    expect((await request(service.url).get(`/api/connections/${connectionId}`).set(auth)).body.status).toBe('auth_failed');
  });
});
