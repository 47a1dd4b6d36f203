import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Browser } from 'playwright-core';
import { SalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { Sandboxes } from '@apps/sandbox/src/sandboxes';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { codeChallengeOf, newCodeVerifier } from '@connectors/core/src';
import { AXE_VIEWPORTS, seriousAxeViolations } from './support/axe';
import { haveChromium, launchChromium } from './support/console';
import { until } from './support/demo-service';
import { answerConsent, connectThroughConsent, followCallback, openConsent, startFlow, storedCredentials } from './support/oauth-connect';
import { startTestService, TestService } from './support/service';

const maybe = haveChromium ? it : it.skip;
const APP = { clientId: 'nps-bridge-sandbox-client', clientSecret: 'nps-bridge-sandbox-secret' };

describe('connecting Salesforce with an OAuth app (web server flow with PKCE)', () => {
  let service: TestService;
  let auth: Record<string, string>;
  let sandbox: SalesforceSandbox;
  let orgUrl: string;
  let db: DataSource;
  let browser: Browser | undefined;

  beforeAll(async () => {
    service = await startTestService();
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('oauth', 'test')).key}` };
    sandbox = (service.sandboxes as Sandboxes).get('salesforce')!.sandbox as unknown as SalesforceSandbox;
    orgUrl = `${service.url}/sandbox/salesforce`;
    db = service.app.get(DataSource);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  const flow = (name: string, extra: Record<string, unknown> = {}) => ({
    kind: 'salesforce',
    name,
    ...APP,
    account: { myDomainUrl: orgUrl },
    returnTo: '/console/connections/new?step=salesforce',
    ...extra,
  });
  const runs = (id: string) => request(service.url).get(`/api/connections/${id}/sync-runs`).set(auth);
  const synced = (id: string) =>
    until(`the first sync of ${id}`, async () => {
      const [run] = (await runs(id)).body;
      if (run?.status === 'failed') throw new Error(`the sync failed: ${run.error}`);
      return run?.status === 'succeeded' ? run : undefined;
    });

  it('tells the admin the exact callback URL and scopes to register', async () => {
    const app = await request(service.url).get('/api/oauth/apps/salesforce').set(auth);
    expect(app.status).toBe(200);
    expect(app.body).toMatchObject({
      kind: 'salesforce',
      label: 'Salesforce',
      callbackUrl: `${service.url}/oauth/callback/salesforce`,
      scopes: ['api', 'refresh_token'],
      pkce: true,
      accountFields: [{ name: 'myDomainUrl', required: true, format: 'uri' }],
    });
    const all = await request(service.url).get('/api/oauth/apps').set(auth);
    expect(all.body.map((a: { kind: string }) => a.kind).sort()).toEqual(['hubspot', 'salesforce', 'zendesk']);
    expect((await request(service.url).get('/api/oauth/apps/salesforce')).status).toBe(401);
  });

  it('refuses a start that could not end in a connection, naming the field', async () => {
    const send = (body: Record<string, unknown>) => request(service.url).post('/api/oauth/authorizations').set(auth).send(body);
    const shared = await send(flow('Shared host', { account: { myDomainUrl: 'https://login.salesforce.com' } }));
    expect(shared.status).toBe(400);
    expect(shared.body.message.join('\n')).toMatch(/^account\.myDomainUrl: .*My Domain/m);
    const elsewhere = await send(flow('Elsewhere', { returnTo: 'https://evil.example/steal' }));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.message.join('\n')).toMatch(/returnTo must be a path on this service/);
    expect((await send(flow('Protocol relative', { returnTo: '//evil.example/' }))).status).toBe(400);
    const unnamed = await send({ ...flow('x'), name: undefined });
    expect(unnamed.body.message).toEqual([expect.stringMatching(/^name: /)]);
  });

  it('runs the flow: consent page, code and PKCE verifier exchanged, tokens stored encrypted, the connection tests OK and syncs with the access token', async () => {
    const started = await startFlow(service.url, auth, flow('Salesforce (OAuth)'));
    const authorize = new URL(started.authorizeUrl);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${orgUrl}/services/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: APP.clientId,
      redirect_uri: `${service.url}/oauth/callback/salesforce`,
      scope: 'api refresh_token',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const [flowRow] = await db.query(`SELECT secrets_encrypted FROM oauth_authorizations WHERE id = $1`, [started.id]);
    expect(flowRow.secrets_encrypted).not.toContain(APP.clientSecret);

    const consent = await openConsent(started.authorizeUrl);
    expect(consent.status).toBe(200);
    expect(consent.html).toContain('Allow access to the Salesforce sandbox org?');
    expect(consent.headers.get('content-security-policy')).toMatch(/default-src 'none'.*form-action 'self'/);
    const callback = new URL(await answerConsent(consent, 'allow'));
    expect(callback.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    const back = await followCallback(callback.toString());
    expect(back.status).toBe(303);
    expect(back.headers.get('cache-control')).toBe('no-store');
    const landing = new URL(back.location!, service.url);
    expect(landing.pathname).toBe('/console/connections/new');
    expect(Object.fromEntries(landing.searchParams)).toEqual({ step: 'salesforce', oauth: started.id, result: 'connected', connection: expect.any(String) });
    const connectionId = landing.searchParams.get('connection')!;

    const outcome = await request(service.url).get(`/api/oauth/authorizations/${started.id}`).set(auth);
    expect(outcome.body).toMatchObject({ status: 'connected', connectionId, error: null });
    const stored = await storedCredentials<{ authType: string; refreshToken: string; accessToken: string; clientSecret: string }>(service.app, connectionId);
    expect(stored).toMatchObject({ authType: 'oauth', loginUrl: orgUrl, clientId: APP.clientId, clientSecret: APP.clientSecret, instanceUrl: orgUrl });
    expect(sandbox.webServer.issuedRefreshTokens()).toContain(stored.refreshToken);
    for (const secret of [stored.refreshToken, stored.accessToken, APP.clientSecret]) expect(stored.sealed).not.toContain(secret);
    const [erased] = await db.query(`SELECT secrets_encrypted FROM oauth_authorizations WHERE id = $1`, [started.id]);
    expect(erased.secrets_encrypted).toBe('');

    const tested = await request(service.url).post(`/api/connections/${connectionId}/test`).set(auth);
    expect(tested.body).toMatchObject({ ok: true, authenticated: true });
    const run = await synced(connectionId);
    expect(run.recordsCreated).toBeGreaterThan(0);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM accounts WHERE connection_id = $1`, [connectionId]);
    expect(n).toBe(sandbox.store.rows('Account').filter((r) => !r.IsDeleted).length);
    // Every token the org granted came from this flow: no other sign-in was tried.
    expect(sandbox.webServer.granted.authorization_code).toBeGreaterThanOrEqual(1);

    // Setup grants the fields to the user the tokens were issued for (the identity URL names it).
    const setup = await request(service.url).post(`/api/connections/${connectionId}/setup`).set(auth);
    expect(setup.status).toBe(200);
    expect(setup.body.fields.manual).toEqual([]);
    expect(sandbox.customFields('Account').find((f) => f.name === 'NPS_Relational__c')).toMatchObject({ access: 'edit' });

    const fields = await request(service.url).get(`/api/connections/${connectionId}/fields?object=account`).set(auth);
    expect(fields.status).toBe(200);
    expect(fields.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ARR__c', type: 'currency', custom: true })]));
    const contact = await request(service.url).get(`/api/connections/${connectionId}/fields?object=contact`).set(auth);
    expect(contact.body.fields.map((f: { name: string }) => f.name)).toContain('Email');
    expect((await request(service.url).get(`/api/connections/${connectionId}/fields?object=deal`).set(auth)).body.message).toEqual(['object: must be account or contact']);
  });

  it('renews an expired access token with the refresh token once for concurrent callers, and stores the new one encrypted', async () => {
    const { landing } = await connectThroughConsent(service.url, auth, flow('Salesforce renewals'));
    const connectionId = landing.searchParams.get('connection')!;
    await synced(connectionId);
    const before = await storedCredentials<{ accessToken: string; refreshToken: string }>(service.app, connectionId);
    const refreshes = sandbox.webServer.granted.refresh_token;
    sandbox.expireTokens();

    const answers = await Promise.all([1, 2, 3].map(() => request(service.url).get(`/api/connections/${connectionId}/fields`).set(auth)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(sandbox.webServer.granted.refresh_token).toBe(refreshes + 1);
    const after = await storedCredentials<{ accessToken: string; refreshToken: string }>(service.app, connectionId);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.sealed).not.toContain(after.accessToken);

    // Access revoked in the org: the connection test says so in Salesforce's words.
    sandbox.expireTokens();
    sandbox.webServer.revokeRefreshTokens();
    const refused = await request(service.url).post(`/api/connections/${connectionId}/test`).set(auth);
    expect(refused.body).toMatchObject({ ok: false, authenticated: false, message: 'expired access/refresh token' });
    expect((await request(service.url).get(`/api/connections/${connectionId}`).set(auth)).body).toMatchObject({
      status: 'auth_failed',
      statusReason: 'expired access/refresh token',
    });
  });

  it('signs an existing connection in again with connectionId, replacing its credentials', async () => {
    const made = await request(service.url)
      .post('/api/connections')
      .set(auth)
      .send({ kind: 'salesforce', name: 'Was client credentials', credentials: { authType: 'client_credentials', loginUrl: orgUrl, ...APP } });
    expect(made.status).toBe(201);
    const { landing } = await connectThroughConsent(service.url, auth, {
      kind: 'salesforce',
      connectionId: made.body.id,
      ...APP,
      account: { myDomainUrl: orgUrl },
      returnTo: '/console',
    });
    expect(landing.searchParams.get('connection')).toBe(made.body.id);
    expect(await storedCredentials(service.app, made.body.id)).toMatchObject({ authType: 'oauth' });
    const other = await request(service.url)
      .post('/api/oauth/authorizations')
      .set(auth)
      .send({ kind: 'hubspot', connectionId: made.body.id, clientId: 'x', clientSecret: 'y', returnTo: '/console' });
    expect(other.body.message).toEqual([`connectionId: connection ${made.body.id} is a salesforce connection, not hubspot`]);
  });

  it("refuses a denied consent with Salesforce's words, and makes no connection", async () => {
    const { flow: started, landing } = await connectThroughConsent(service.url, auth, flow('Denied org'), 'deny');
    expect(Object.fromEntries(landing.searchParams)).toEqual({ step: 'salesforce', oauth: started.id, result: 'failed', error: 'access_denied' });
    const outcome = await request(service.url).get(`/api/oauth/authorizations/${started.id}`).set(auth);
    expect(outcome.body).toMatchObject({ status: 'failed', connectionId: null, error: { code: 'access_denied', message: 'end-user denied authorization' } });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM connections WHERE name = 'Denied org'`);
    expect(n).toBe(0);
  });

  it('refuses a callback whose state is unknown or was used, with a page saying why', async () => {
    const unknown = await followCallback(`${service.url}/oauth/callback/salesforce?code=abc&state=not-a-state-we-gave`);
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toMatch(/text\/html/);
    expect(unknown.body).toContain('state: unknown');
    const missing = await followCallback(`${service.url}/oauth/callback/salesforce?code=abc`);
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('the vendor sent no state');

    const { callback } = await connectThroughConsent(service.url, auth, flow('Used once'));
    const replay = await followCallback(callback);
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('already completed');
  });

  it('refuses a state used after 10 minutes', async () => {
    const started = await startFlow(service.url, auth, flow('Too slow'));
    const callback = await answerConsent(await openConsent(started.authorizeUrl), 'allow');
    await db.query(`UPDATE oauth_authorizations SET expires_at = now() - interval '1 second' WHERE id = $1`, [started.id]);
    const back = await followCallback(callback);
    expect(back.status).toBe(303);
    expect(new URL(back.location!, service.url).searchParams.get('error')).toBe('expired_state');
    const outcome = await request(service.url).get(`/api/oauth/authorizations/${started.id}`).set(auth);
    expect(outcome.body).toMatchObject({ status: 'failed', error: { code: 'expired_state', message: expect.stringMatching(/longer than 10 minutes/) } });
  });

  it('the sandbox refuses a code without its PKCE verifier, or with another one, as Salesforce does', async () => {
    const verifier = newCodeVerifier();
    const redirectUri = 'https://app.example.com/callback';
    const authorize = `${orgUrl}/services/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: APP.clientId, redirect_uri: redirectUri, state: 's', code_challenge: codeChallengeOf(verifier) })}`;
    const code = async () => new URL(await answerConsent(await openConsent(authorize), 'allow')).searchParams.get('code')!;
    const token = (form: Record<string, string>) =>
      fetch(`${orgUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          ...APP,
          client_id: APP.clientId,
          client_secret: APP.clientSecret,
          redirect_uri: redirectUri,
          ...form,
        }).toString(),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));

    expect(await token({ code: await code(), code_verifier: newCodeVerifier() })).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'invalid code verifier' },
    });
    expect(await token({ code: await code() })).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'code verifier is missing' } });
    const good = await code();
    expect((await token({ code: good, code_verifier: verifier })).body).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      instance_url: orgUrl,
    });
    expect(await token({ code: good, code_verifier: verifier })).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid authorization code' } });
  });

  maybe(
    'in a browser: the consent page reads without script, passes axe at 390 px, and Allow connects the org',
    async () => {
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: AXE_VIEWPORTS[0], javaScriptEnabled: false });
      const page = await context.newPage();
      const started = await startFlow(service.url, auth, flow('Salesforce in a browser', { returnTo: '/health?from=oauth' }));
      await page.goto(started.authorizeUrl);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Allow access to the Salesforce sandbox org?');
      expect(await page.getByRole('listitem').allTextContents()).toEqual([
        'api: access and manage your data (REST API)',
        'refresh_token: perform requests at any time (offline access)',
      ]);
      const scan = await browser.newPage({ viewport: AXE_VIEWPORTS[0] });
      await scan.goto((await startFlow(service.url, auth, flow('Salesforce scanned', { returnTo: '/health' }))).authorizeUrl);
      expect(await seriousAxeViolations(scan)).toEqual([]);

      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(/\/health\?from=oauth&oauth=.*result=connected/);
      const landing = new URL(page.url());
      expect(landing.searchParams.get('oauth')).toBe(started.id);
      const connectionId = landing.searchParams.get('connection')!;
      expect((await request(service.url).post(`/api/connections/${connectionId}/test`).set(auth)).body).toMatchObject({ ok: true, authenticated: true });
    },
    60_000,
  );
});
