import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConnectionsService } from '@libs/app/src/connections/connections.service';
import { AXE_VIEWPORTS, seriousAxeViolations } from './support/axe';
import { artifactPath, csrfOf, haveChromium, launchChromium, makeConsoleUser, sidewaysOverflow, signedInAgent, signInInBrowser } from './support/console';
import { until } from './support/demo-service';
import { storedCredentials } from './support/oauth-connect';
import { startTestService, TestService } from './support/service';

const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn('skipping the console connect browser tests: no chromium (apt-get install chromium)');

const ADMIN = { email: 'ada@acme.example', password: 'connect admin password' };
const VIEWER = { email: 'vic@acme.example', password: 'connect viewer password' };
/** The client id and secret the Salesforce sandbox's External Client App has. */
const APP = { clientId: 'nps-bridge-sandbox-client', clientSecret: 'nps-bridge-sandbox-secret' };
const [PHONE, DESKTOP] = AXE_VIEWPORTS;

/** The page's text without tags, spaces collapsed: what a person reads. */
const readable = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/**
 * Connecting a vendor in the console (issue 16 part 2), against the real service and the vendor
 * sandboxes: the guided "bring your own OAuth app" page, the sandbox's consent page, the result
 * page, the field mapping from the CRM's real describe, the setup and a sync watched to its end,
 * all in a browser without JavaScript.
 */
describe('console: connect a vendor', () => {
  let service: TestService;
  let db: DataSource;
  let browser: Browser | undefined;
  let orgUrl: string;
  let auth: Record<string, string>;
  /** The connection made through the browser, once made. */
  let connectionId: string | undefined;
  const sandbox = () => service.sandboxes!.get('salesforce')!.sandbox as unknown as SalesforceSandbox;
  const connectionRow = async (name: string) => (await db.query(`SELECT id, kind, status, settings, last_test FROM connections WHERE name = $1 AND deleted_at IS NULL`, [name]))[0];

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: true });
    db = service.app.get(DataSource);
    orgUrl = `${service.url}/sandbox/salesforce`;
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('connect test', 'test')).key}` };
    await makeConsoleUser(service.app, ADMIN.email, ADMIN.password, 'admin');
    await makeConsoleUser(service.app, VIEWER.email, VIEWER.password, 'viewer');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** A page with JavaScript off (as the person is), signed in as the admin. */
  async function adminPage(viewport: { width: number; height: number } = DESKTOP, javaScriptEnabled = false): Promise<{ context: BrowserContext; page: Page }> {
    browser ??= await launchChromium();
    const context = await browser.newContext({ viewport, javaScriptEnabled });
    const page = await context.newPage();
    await signInInBrowser(page, service.url, ADMIN.email, ADMIN.password);
    return { context, page };
  }

  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath(`connect-${name}`), fullPage: true });

  /** Fills the guided Salesforce page and sends it: resolves on the page with the link to the vendor. */
  async function startSalesforce(page: Page, name: string): Promise<void> {
    await page.goto(`${service.url}/console/connections/new/salesforce`);
    await page.getByLabel('Connection name').fill(name);
    await page.getByLabel('Client ID').fill(APP.clientId);
    await page.getByLabel('Client secret').fill(APP.clientSecret);
    await page.getByLabel('My domain URL').fill(orgUrl);
    await Promise.all([page.waitForURL(`${service.url}/console/connections/new/salesforce`), page.getByRole('button', { name: 'Save and continue' }).click()]);
    expect(await heading(page)).toBe('Continue to Salesforce');
  }

  maybe(
    'connects the Salesforce sandbox through its OAuth consent page, maps a field from the real describe, runs the setup and watches a sync finish, without JavaScript',
    async () => {
      const { context, page } = await adminPage();
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Connections' }).click();
      expect(await heading(page)).toBe('Connections');
      expect(await page.getByText('Nothing is connected yet.').isVisible()).toBe(true);
      await page.getByRole('link', { name: 'Connect a vendor' }).click();
      expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Salesforce', 'HubSpot', 'Zendesk']);
      await page.getByRole('link', { name: 'Connect Salesforce' }).click();

      // The guided page: the exact callback URL and scopes the app must be registered with.
      expect(await heading(page)).toBe('Connect Salesforce');
      expect(await page.getByLabel('Callback URL to register').textContent()).toBe(`${service.url}/oauth/callback/salesforce`);
      const register = readable(await page.locator('.register').innerHTML());
      expect(register).toContain('Scopes : api , refresh_token');
      expect(register).toContain('PKCE : required (S256)');
      expect(await page.getByText('App Manager → New External Client App').isVisible()).toBe(true);

      await startSalesforce(page, 'Acme org');
      const link = page.getByRole('link', { name: 'Continue to Salesforce' });
      const authorize = new URL((await link.getAttribute('href'))!);
      expect(`${authorize.origin}${authorize.pathname}`).toBe(`${orgUrl}/services/oauth2/authorize`);
      expect(authorize.searchParams.get('client_id')).toBe(APP.clientId);
      expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The app's secret went into the flow encrypted, never into the page.
      expect(await page.content()).not.toContain(APP.clientSecret);
      const [flow] = await db.query(`SELECT id, secrets_encrypted, return_to FROM oauth_authorizations WHERE connection_name = 'Acme org'`);
      expect(flow.secrets_encrypted).not.toContain(APP.clientSecret);
      expect(flow.return_to).toBe('/console/connections/connected');

      // The sandbox's consent page, then back through the callback to the result page.
      await link.click();
      expect(await heading(page)).toBe('Allow access to the Salesforce sandbox org?');
      await Promise.all([page.waitForURL(/\/console\/connections\/connected\?/), page.getByRole('button', { name: 'Allow' }).click()]);
      const landing = new URL(page.url());
      expect(Object.fromEntries(landing.searchParams)).toEqual({ oauth: flow.id, result: 'connected', connection: expect.any(String) });
      connectionId = landing.searchParams.get('connection')!;
      expect(await heading(page)).toBe('Salesforce is connected');
      const row = await connectionRow('Acme org');
      expect(row).toMatchObject({ id: connectionId, kind: 'salesforce', status: 'active', last_test: { ok: true, authenticated: true, missingFields: [] } });
      expect(await storedCredentials(service.app, connectionId)).toMatchObject({ authType: 'oauth', clientId: APP.clientId, loginUrl: orgUrl });
      const test = page.getByRole('region', { name: 'Connection test' });
      expect(await test.textContent()).toContain('Salesforce accepted the credentials, and every mapped field can be read.');

      // The connection page; the first sync started as the connection was made.
      await page.getByRole('link', { name: 'Open Acme org' }).click();
      expect(await heading(page)).toBe('Acme org');
      await until('the first sync', async () => (await service.app.get(ConnectionsService).syncRuns(connectionId!)).find((r) => r.status === 'succeeded'), 60_000);

      // Field mapping from the org's real describe: "Usage" is not mapped by default; the org has Usage_Score__c.
      await page.getByRole('link', { name: 'Choose fields' }).click();
      expect(await heading(page)).toBe('Field mapping of Acme org');
      const described = (await service.app.get(ConnectionsService).fields(connectionId, 'account')).fields.filter((f) => f.type !== 'other');
      const usage = page.getByLabel('Usage', { exact: true });
      expect(await usage.locator('option').allTextContents()).toEqual(['Not mapped', ...described.map((f) => `${f.label} (${f.name}), ${f.type}`)]);
      expect(await usage.inputValue()).toBe('');
      expect(described.map((f) => f.name)).toContain('Usage_Score__c');
      // A written NPS number may go to a real number field of the org, or to its default name (the setup creates it).
      const relational = page.getByRole('group', { name: 'What nps-bridge writes on each account' }).getByLabel('NPS (relational)');
      expect(await relational.locator('option').allTextContents()).toEqual([
        'NPS_Relational__c (default name: the setup creates it)',
        ...described.filter((f) => f.type === 'number').map((f) => `${f.label} (${f.name}), number`),
      ]);
      await usage.selectOption('Usage_Score__c');
      await Promise.all([page.waitForURL(`${service.url}/console/connections/${connectionId}`), page.getByRole('button', { name: 'Save and test' }).click()]);
      expect(await page.getByRole('status').first().textContent()).toBe(
        'The field mapping is saved. The test passed: Salesforce accepted the credentials, and every mapped field can be read.',
      );
      expect((await connectionRow('Acme org')).settings).toMatchObject({ fieldMapping: { usage: 'Usage_Score__c' }, npsFields: {} });
      expect((await connectionRow('Acme org')).settings.fieldMapping).toEqual({ usage: 'Usage_Score__c' });

      // The setup creates the NPS fields in the org.
      expect(
        sandbox()
          .customFields('Account')
          .some((f) => f.name === 'NPS_Relational__c'),
      ).toBe(false);
      await page.getByRole('button', { name: 'Run setup' }).click();
      expect(await heading(page)).toBe('Setup of Acme org');
      expect(await page.getByRole('status').textContent()).toBe('Every NPS field exists in Salesforce now.');
      expect(await page.getByRole('listitem').filter({ hasText: 'account.NPS_Relational__c' }).count()).toBe(1);
      expect(
        sandbox()
          .customFields('Account')
          .find((f) => f.name === 'NPS_Relational__c'),
      ).toMatchObject({ access: 'edit' });
      await shot(page, 'setup');
      await page.getByRole('link', { name: 'Back to Acme org' }).click();

      // A full sync, watched on its page until it ends: the page reloads itself (no script) while it runs.
      const loads: string[] = [];
      page.on('response', (response) => {
        if (/\/sync-runs\/[0-9a-f-]{36}$/.test(new URL(response.url()).pathname)) loads.push(response.headers()['refresh'] ?? '');
      });
      await Promise.all([page.waitForURL(/\/sync-runs\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Read everything again' }).click()]);
      expect(await heading(page)).toBe('Sync of Acme org');
      const runId = page.url().split('/').pop()!;
      const first = await page.locator('main p[role=status]').last().textContent();
      await page.locator('main p[role=status] .badge', { hasText: 'finished' }).waitFor({ timeout: 60_000 });
      const [run] = await db.query(`SELECT status, mode, records_read, records_updated, api_calls FROM sync_runs WHERE id = $1`, [runId]);
      expect(run).toMatchObject({ status: 'succeeded', mode: 'full' });
      if (!/finished/.test(first ?? '')) expect(loads.length).toBeGreaterThanOrEqual(2);
      expect(loads[0]).toBe(/finished/.test(first ?? '') ? '' : '2');
      expect(loads[loads.length - 1]).toBe('');
      const facts2 = readable(await page.locator('dl.facts').innerHTML());
      expect(facts2).toContain(`API calls ${Number(run.api_calls).toLocaleString('en')}`);
      expect(await page.locator('main p[role=status]').last().textContent()).toContain(`${Number(run.records_read).toLocaleString('en')} records read`);
      // The mapped field was read: every account's usage is the org's Usage_Score__c.
      const usages = await db.query(`SELECT external_id, usage_score FROM accounts WHERE connection_id = $1 AND deleted_at IS NULL`, [connectionId]);
      expect(usages.length).toBeGreaterThan(0);
      for (const a of usages) {
        const score = sandbox().record('Account', a.external_id)!.Usage_Score__c as number | null;
        expect([a.external_id, a.usage_score === null ? null : Number(a.usage_score)]).toEqual([a.external_id, score]);
      }
      await shot(page, 'sync');

      // The list: status, latest test and latest sync.
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Connections' }).click();
      const listed = readable(await page.getByRole('table', { name: 'Connections, oldest first' }).innerHTML());
      expect(listed).toContain('Acme org Salesforce (CRM) working passed');
      expect(listed).toContain(`finished`);
      await context.close();
    },
    180_000,
  );

  maybe(
    'signs the connection in again from its page: new tokens for the same connection, tested again',
    async () => {
      expect(connectionId).toBeDefined();
      const before = await storedCredentials<{ refreshToken: string }>(service.app, connectionId!);
      const [{ last_tested_at: testedBefore }] = await db.query(`SELECT last_tested_at FROM connections WHERE id = $1`, [connectionId]);
      const { context, page } = await adminPage();
      await page.goto(`${service.url}/console/connections/${connectionId}`);
      await page.getByRole('link', { name: 'Sign in again' }).click();
      expect(await heading(page)).toBe('Sign Acme org in to Salesforce again');
      expect(await page.getByLabel('Connection name').count()).toBe(0);
      await page.getByLabel('Client ID').fill(APP.clientId);
      await page.getByLabel('Client secret').fill(APP.clientSecret);
      await page.getByLabel('My domain URL').fill(orgUrl);
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await page.getByRole('link', { name: 'Continue to Salesforce' }).click();
      await Promise.all([page.waitForURL(/\/console\/connections\/connected\?/), page.getByRole('button', { name: 'Allow' }).click()]);
      expect(new URL(page.url()).searchParams.get('connection')).toBe(connectionId);
      expect(await heading(page)).toBe('Salesforce is connected');
      const after = await storedCredentials<{ refreshToken: string }>(service.app, connectionId!);
      expect(after.refreshToken).not.toBe(before.refreshToken);
      const [{ last_tested_at: testedAfter, n }] = await db.query(
        `SELECT last_tested_at, (SELECT count(*)::int FROM connections WHERE name = 'Acme org') AS n FROM connections WHERE id = $1`,
        [connectionId],
      );
      expect(testedAfter.getTime()).toBeGreaterThan(testedBefore.getTime());
      expect(n).toBe(1);
      await context.close();
    },
    60_000,
  );

  maybe(
    "a denied consent lands on a page with Salesforce's words, and connects nothing",
    async () => {
      const { context, page } = await adminPage(PHONE);
      await startSalesforce(page, 'Denied org');
      await page.getByRole('link', { name: 'Continue to Salesforce' }).click();
      await Promise.all([page.waitForURL(/\/console\/connections\/connected\?.*result=failed/), page.getByRole('button', { name: 'Deny' }).click()]);
      expect(await heading(page)).toBe('Salesforce did not connect');
      const alert = page.getByRole('alert');
      expect(await alert.getByRole('heading').textContent()).toBe('Nothing was connected');
      expect(await alert.locator('.vendor-words').textContent()).toBe('end-user denied authorization');
      expect(await page.locator('main code').textContent()).toBe('access_denied');
      expect(await connectionRow('Denied org')).toBeUndefined();
      await context.close();
    },
    60_000,
  );

  it('the forms name the field that is wrong and keep what was typed (no secret)', async () => {
    const admin = await signedInAgent(service.url, ADMIN.email, ADMIN.password);
    const token = csrfOf((await admin.get('/console/connections/new/salesforce')).text);
    const sent = await admin
      .post('/console/connections/new/salesforce')
      .type('form')
      .send({ _csrf: token, name: 'Shared host', clientId: '', clientSecret: 'kept secret', 'account.myDomainUrl': 'https://login.salesforce.com' });
    expect(sent.status).toBe(400);
    const text = readable(sent.text);
    expect(text).toContain('There is a problem');
    expect(text).toContain('Client ID must not be blank');
    expect(sent.text).toContain('value="https://login.salesforce.com"');
    expect(sent.text).not.toContain('kept secret');
    const sharedHost = await admin
      .post('/console/connections/new/salesforce')
      .type('form')
      .send({ _csrf: token, name: 'Shared host', ...APP, 'account.myDomainUrl': 'https://login.salesforce.com' });
    expect(sharedHost.status).toBe(400);
    expect(readable(sharedHost.text)).toContain("There is a problem My domain URL must be your org's My Domain URL (https://<domain>.my.salesforce.com), not login.salesforce.com");
    expect(sharedHost.text).not.toContain(APP.clientSecret);
    expect(await db.query(`SELECT id FROM oauth_authorizations WHERE connection_name = 'Shared host'`)).toEqual([]);

    // The token / key alternative: the credentials POST /api/connections takes, checked the same way.
    const form = await admin.get('/console/connections/new/salesforce/credentials?type=client_credentials');
    expect(form.status).toBe(200);
    const missing = await admin
      .post('/console/connections/new/salesforce/credentials')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        'credentials.authType': 'client_credentials',
        name: 'Token org',
        'credentials.loginUrl': 'https://login.salesforce.com',
        'credentials.clientId': APP.clientId,
      });
    expect(missing.status).toBe(400);
    expect(readable(missing.text)).toContain('Client secret is required');
    const shared = await admin
      .post('/console/connections/new/salesforce/credentials')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        'credentials.authType': 'client_credentials',
        name: 'Token org',
        'credentials.loginUrl': 'https://login.salesforce.com',
        ...prefixed(APP),
      });
    expect(shared.status).toBe(400);
    expect(readable(shared.text)).toMatch(/Login URL must be your org's My Domain URL/);
    const made = await admin
      .post('/console/connections/new/salesforce/credentials')
      .type('form')
      .send({ _csrf: csrfOf(form.text), 'credentials.authType': 'client_credentials', name: 'Token org', 'credentials.loginUrl': orgUrl, ...prefixed(APP) });
    expect(made.status).toBe(303);
    const row = await connectionRow('Token org');
    expect(made.headers.location).toBe(`/console/connections/${row.id}`);
    expect(row.last_test).toMatchObject({ ok: true, authenticated: true });
    expect(await storedCredentials(service.app, row.id)).toMatchObject({ authType: 'client_credentials', loginUrl: orgUrl, clientId: APP.clientId });
    const page = await admin.get(made.headers.location);
    expect(readable(page.text)).toContain('Token org is connected. The test passed: Salesforce accepted the credentials');
    // The API says the same about it.
    const api = await request(service.url).get(`/api/connections/${row.id}`).set(auth);
    expect(api.body.lastTest).toMatchObject({ ok: true, authenticated: true, message: null, missingFields: [], testedAt: expect.any(String) });
    const taken = await admin
      .post('/console/connections/new/salesforce/credentials')
      .type('form')
      .send({ _csrf: csrfOf(form.text), 'credentials.authType': 'client_credentials', name: 'token ORG', 'credentials.loginUrl': orgUrl, ...prefixed(APP) });
    expect(taken.status).toBe(409);
    expect(readable(taken.text)).toContain('Connection name another connection already has this name');
  });

  it('a viewer gets 403 on every connections page and form', async () => {
    const [{ id }] = await db.query(`SELECT id FROM connections WHERE deleted_at IS NULL LIMIT 1`);
    const [{ id: runId }] = await db.query(`SELECT id FROM sync_runs WHERE connection_id = $1 LIMIT 1`, [id]);
    const viewer = await signedInAgent(service.url, VIEWER.email, VIEWER.password);
    const token = csrfOf((await viewer.get('/console')).text);
    const pages = [
      '/console/connections',
      '/console/connections/new',
      '/console/connections/new/salesforce',
      '/console/connections/new/salesforce/credentials',
      '/console/connections/connected?oauth=00000000-0000-4000-8000-000000000000',
      `/console/connections/${id}`,
      `/console/connections/${id}/fields`,
      `/console/connections/${id}/sync-runs/${runId}`,
    ];
    for (const path of pages) {
      const page = await viewer.get(path);
      expect([path, page.status, page.headers['content-type']]).toEqual([path, 403, expect.stringMatching(/^text\/html/)]);
    }
    const runsBefore = await db.query(`SELECT count(*)::int AS n FROM sync_runs`);
    for (const path of ['/console/connections/new/salesforce', `/console/connections/${id}/sync`, `/console/connections/${id}/setup`, `/console/connections/${id}/test`]) {
      const sent = await viewer.post(path).type('form').send({ _csrf: token, name: 'Viewer org', clientId: 'x', clientSecret: 'y', 'account.myDomainUrl': orgUrl, mode: 'full' });
      expect([path, sent.status]).toEqual([path, 403]);
    }
    expect(await db.query(`SELECT count(*)::int AS n FROM sync_runs`)).toEqual(runsBefore);
    expect((await viewer.get('/console')).text).not.toContain('/console/connections');
  });

  it('a form posted without its CSRF token is refused with 403, and nothing happens', async () => {
    const [{ id }] = await db.query(`SELECT id FROM connections WHERE deleted_at IS NULL LIMIT 1`);
    const admin = await signedInAgent(service.url, ADMIN.email, ADMIN.password);
    const runsBefore = await db.query(`SELECT count(*)::int AS n FROM sync_runs`);
    const flowsBefore = await db.query(`SELECT count(*)::int AS n FROM oauth_authorizations`);
    const start = await admin
      .post('/console/connections/new/salesforce')
      .type('form')
      .send({ name: 'No token org', ...APP, 'account.myDomainUrl': orgUrl });
    expect(start.status).toBe(403);
    expect(readable(start.text)).toContain('This form could not be accepted');
    const sync = await admin.post(`/console/connections/${id}/sync`).type('form').send({ mode: 'full', _csrf: 'not-the-token' });
    expect(sync.status).toBe(403);
    expect(await db.query(`SELECT count(*)::int AS n FROM sync_runs`)).toEqual(runsBefore);
    expect(await db.query(`SELECT count(*)::int AS n FROM oauth_authorizations`)).toEqual(flowsBefore);
  });

  maybe(
    'every connect page passes axe with no serious or critical violation at 390 and 1280 px, fits the phone, and is saved as a screenshot',
    async () => {
      expect(connectionId).toBeDefined();
      const [{ id: runId }] = await db.query(`SELECT id FROM sync_runs WHERE connection_id = $1 AND status = 'succeeded' ORDER BY created_at DESC LIMIT 1`, [connectionId]);
      const [denied] = await db.query(`SELECT id FROM oauth_authorizations WHERE status = 'failed' LIMIT 1`);
      const [connected] = await db.query(`SELECT id FROM oauth_authorizations WHERE status = 'connected' LIMIT 1`);
      const pages: Array<{ name: string; path?: string; open?: (page: Page) => Promise<void> }> = [
        { name: 'list', path: '/console/connections' },
        { name: 'vendors', path: '/console/connections/new' },
        { name: 'salesforce', path: '/console/connections/new/salesforce' },
        { name: 'hubspot', path: '/console/connections/new/hubspot' },
        { name: 'zendesk', path: '/console/connections/new/zendesk' },
        { name: 'credentials', path: '/console/connections/new/salesforce/credentials' },
        { name: 'credentials-zendesk', path: '/console/connections/new/zendesk/credentials' },
        { name: 'continue', open: (page) => startSalesforce(page, `Scanned org ${page.viewportSize()!.width}`) },
        { name: 'form-errors', open: (page) => sendUnchecked(page, '/console/connections/new/salesforce', 'Save and continue') },
        { name: 'credentials-errors', open: (page) => sendUnchecked(page, '/console/connections/new/salesforce/credentials', 'Connect') },
        { name: 'result', path: `/console/connections/connected?oauth=${connected.id}` },
        { name: 'failed', path: `/console/connections/connected?oauth=${denied.id}` },
        { name: 'connection', path: `/console/connections/${connectionId}` },
        { name: 'fields', path: `/console/connections/${connectionId}/fields` },
        { name: 'setup', open: (page) => page.goto(`${service.url}/console/connections/${connectionId}`).then(() => page.getByRole('button', { name: 'Run setup' }).click()) },
        { name: 'sync', path: `/console/connections/${connectionId}/sync-runs/${runId}` },
        {
          name: 'sync-waiting',
          open: async (page) => {
            const run = await service.app.get(ConnectionsService).requestSync(connectionId!, false);
            await page.goto(`${service.url}/console/connections/${connectionId}/sync-runs/${run.id}?live=0`);
          },
        },
      ];
      /** Sends a form as it is, the browser's own required-field check off: the server's answer is the page. */
      const sendUnchecked = async (page: Page, path: string, button: string) => {
        await page.goto(`${service.url}${path}`);
        await page.evaluate(`document.querySelectorAll('form').forEach((f) => (f.noValidate = true))`);
        await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: button }).click()]);
        expect(await page.getByRole('heading', { name: 'There is a problem' }).count()).toBe(1);
      };
      for (const viewport of AXE_VIEWPORTS) {
        // axe runs in a page with JavaScript (it needs timers); the pages themselves need none.
        const { context, page } = await adminPage(viewport, true);
        for (const { name, path, open } of pages) {
          if (path) await page.goto(`${service.url}${path}`);
          else await open!(page);
          await page.waitForLoadState('load');
          expect([name, await seriousAxeViolations(page)]).toEqual([name, []]);
          expect([name, await sidewaysOverflow(page)]).toEqual([name, 0]);
          if (name === 'sync-waiting') continue;
          if (name !== 'setup' && name !== 'sync') await shot(page, viewport.width === PHONE.width ? `${name}-390` : name);
          else if (viewport.width === PHONE.width) await shot(page, `${name}-390`);
        }
        await context.close();
      }
    },
    180_000,
  );
});

/** The app's id and secret as the credentials form names them. */
function prefixed(app: typeof APP): Record<string, string> {
  return { 'credentials.clientId': app.clientId, 'credentials.clientSecret': app.clientSecret };
}
