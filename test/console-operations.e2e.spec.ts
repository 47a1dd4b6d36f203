import { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { OutboxDispatcher } from '@libs/app/src/outbox/outbox-dispatcher';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { consoleBannerLines } from '@libs/app/src/runtime/launch';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { SalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { ZendeskSandbox } from '@apps/sandbox/src/zendesk';
import { BuiltSandbox } from '@apps/sandbox/src/kit/sandbox-demo';
import { AXE_VIEWPORTS, seriousAxeViolations } from './support/axe';
import { artifactPath, csrfOf, haveChromium, launchChromium, makeConsoleUser, sidewaysOverflow, signedInAgent, signInInBrowser } from './support/console';
import { crmSynced } from './support/demo-service';
import { startTestService, TestService } from './support/service';
import { connectZendeskSandbox } from './support/zendesk-connection';

const maybe = haveChromium ? it : it.skip;
if (!haveChromium) console.warn('skipping the console operations browser tests: no chromium (apt-get install chromium)');

const ADMIN = { email: 'ada@acme.example', password: 'operations admin password' };
const VIEWER = { email: 'vic@acme.example', password: 'operations viewer password' };
const PHONE = AXE_VIEWPORTS[0];

/**
 * Operations in the console (issue 16 part 6) on real data: a Salesforce sandbox connected and
 * synced through the admin API (sync runs), a Zendesk sandbox whose solved tickets send real
 * webhooks (deliveries), and vendor writes the sandbox refuses or that wait through an outage.
 */
describe('console operations', () => {
  let service: TestService;
  let db: DataSource;
  let browser: Browser | undefined;
  let auth: { Authorization: string };
  let crmId: string;
  const salesforce = () => service.sandboxes!.get('salesforce')!.sandbox as unknown as SalesforceSandbox & BuiltSandbox;
  const zendesk = () => service.sandboxes!.get('zendesk')!.sandbox as unknown as ZendeskSandbox & BuiltSandbox;
  const deliver = () => service.app.get(OutboxDispatcher).deliverDue();
  const outboxRow = async (id: string) => (await db.query(`SELECT status, attempts, last_error FROM outbox WHERE id = $1`, [id]))[0];
  let contacts: string[] = [];

  /** A field update queued the way the health refresh queues one; its outbox id. */
  async function queueFieldUpdate(contact: string, fields: Record<string, number | string>): Promise<string> {
    await new OutboxRepository(db.manager).enqueueFieldUpdate(crmId, 'contact', contact, fields, new Date());
    const [row] = await db.query(`SELECT id::text FROM outbox WHERE record_key = $1 AND status = 'pending'`, [`contact:${contact}`]);
    return row.id;
  }

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: true });
    db = service.app.get(DataSource);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('operations test', 'test')).key}` };
    // The CRM as an admin connects it, without its setup yet (so the NPS fields do not exist in it).
    const served = service.sandboxes!.get('salesforce')!;
    const created = await request(service.url)
      .post('/api/connections')
      .set(auth)
      .send({ kind: 'salesforce', ...served.kit.connection(served.baseUrl) });
    expect(created.status).toBe(201);
    crmId = created.body.id;
    await crmSynced(db);
    contacts = (await db.query(`SELECT external_id FROM contacts WHERE connection_id = $1 ORDER BY external_id LIMIT 6`, [crmId])).map(
      (r: { external_id: string }) => r.external_id,
    );
    // The helpdesk with its webhook; two solved tickets send two real webhook calls.
    await connectZendeskSandbox(service.url, auth, service.sandboxes!.get('zendesk')!.baseUrl);
    for (const ticket of zendesk().demo!.unsolvedTickets().slice(0, 2)) await zendesk().demo!.solveTicket(ticket.id);
    // The worker's schedule turns deliveries into surveys; tests run its step themselves.
    await service.app.get(TicketEvents).processDeliveries();
    expect(await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE processed_at IS NOT NULL`)).toEqual([{ n: 2 }]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await service.close();
  });

  maybe(
    'the first admin is made through the setup link in a browser without JavaScript; the page passes axe at both widths',
    async () => {
      browser ??= await launchChromium();
      const link = /(http:\S+\/console\/setup\?token=\S+)/.exec((await consoleBannerLines(service)).join('\n'))![1];
      // axe runs in a page with JavaScript (it needs timers); the person below has none.
      for (const viewport of AXE_VIEWPORTS) {
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        await page.goto(link);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Create the first admin');
        expect(await seriousAxeViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBe(0);
        await page.screenshot({ path: artifactPath(viewport.width === PHONE.width ? 'setup-390' : 'setup'), fullPage: true });
        await context.close();
      }
      for (const viewport of [PHONE]) {
        const context = await browser.newContext({ viewport, javaScriptEnabled: false });
        const page = await context.newPage();
        await page.goto(link);
        {
          await page.getByLabel('Email').fill(ADMIN.email);
          await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
          await page.getByLabel('Password again').fill(ADMIN.password);
          await Promise.all([page.waitForURL(`${service.url}/console`), page.getByRole('button', { name: 'Create admin and sign in' }).click()]);
          expect(await page.getByRole('status').textContent()).toContain('You are the first admin of this console');
        }
        await context.close();
      }
      await makeConsoleUser(service.app, VIEWER.email, VIEWER.password, 'viewer');
    },
    60_000,
  );

  maybe(
    'a write-back the CRM refused shows with its words; after the cause is fixed, "Send again" delivers it; "Dismiss" gives one up',
    async () => {
      const [first, second] = contacts;
      const refusedId = await queueFieldUpdate(first, { NPS_Last_Score__c: 9 });
      const dismissedId = await queueFieldUpdate(second, { NPS_Last_Category__c: 'promoter' });
      expect(await deliver()).toMatchObject({ failed: 2 });
      const words = (await outboxRow(refusedId)).last_error as string;
      expect(words).toContain('NPS_Last_Score__c');

      browser ??= await launchChromium();
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await signInInBrowser(page, service.url, ADMIN.email, ADMIN.password);
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Operations' }).click();
      await page.getByRole('navigation', { name: 'Operations' }).getByRole('link', { name: 'Write-backs' }).click();
      const table = page.getByRole('table', { name: 'Writes the vendor refused, newest first, with its words' });
      expect(await table.getByRole('row').count()).toBe(3);
      expect(await table.textContent()).toContain(words);
      expect(await table.textContent()).toContain(`#${refusedId} CRM field update`);
      expect(await table.textContent()).toContain(`contact ${first}: NPS_Last_Score__c`);

      // The admin creates the fields the write needs (the CRM setup), then sends it again.
      expect((await request(service.url).post(`/api/connections/${crmId}/setup`).set(auth)).status).toBe(200);
      await Promise.all([page.waitForURL(/write-backs\?show=refused$/), page.getByRole('button', { name: `Send again: write-back ${refusedId}` }).click()]);
      expect(await page.getByRole('status').textContent()).toBe(`Write-back ${refusedId} goes out at the next delivery.`);
      expect(await outboxRow(refusedId)).toMatchObject({ status: 'pending' });
      expect(await deliver()).toMatchObject({ delivered: 1, failed: 0 });
      expect(await outboxRow(refusedId)).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(String(salesforce().record('Contact', first)!.NPS_Last_Score__c)).toBe('9');

      await Promise.all([page.waitForURL(/write-backs\?show=refused$/), page.getByRole('button', { name: `Dismiss: write-back ${dismissedId}` }).click()]);
      expect(await page.getByRole('status').textContent()).toBe(`Write-back ${dismissedId} was dismissed: it will not be sent.`);
      expect(await outboxRow(dismissedId)).toMatchObject({ status: 'dismissed' });
      expect(await page.getByText('No write-backs were refused.').isVisible()).toBe(true);
      expect(await deliver()).toMatchObject({ delivered: 0, failed: 0, retried: 0 });
      const audit = await db.query(`SELECT action, entity_id FROM audit_log WHERE entity = 'outbox' ORDER BY id`);
      expect(audit).toEqual([
        { action: 'write_back.sent_again', entity_id: refusedId },
        { action: 'write_back.dismissed', entity_id: dismissedId },
      ]);

      // Acting on a write that is no longer refused is a readable 404, not a 500.
      const agent = await signedInAgent(service.url, ADMIN.email, ADMIN.password);
      const token = csrfOf((await agent.get('/console/operations/write-backs')).text);
      const stale = await agent.post(`/console/operations/write-backs/${refusedId}/retry`).type('form').send({ _csrf: token });
      expect(stale.status).toBe(404);
      expect(stale.text).toContain(`no vendor write waiting or refused with id ${refusedId}`);
      expect((await agent.get('/console/operations/write-backs?before=abc')).status).toBe(400);
      await context.close();
    },
    90_000,
  );

  maybe(
    'a write-back waiting through an outage is listed with why, and "Send now" sends it before its backoff ends',
    async () => {
      salesforce().setOutage(true);
      const waitingId = await queueFieldUpdate(contacts[2], { NPS_Last_Score__c: 3 });
      expect(await deliver()).toMatchObject({ retried: 1 });
      salesforce().setOutage(false);
      expect(await deliver()).toMatchObject({ delivered: 0, retried: 0 }); // its backoff has not ended

      browser ??= await launchChromium();
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await signInInBrowser(page, service.url, ADMIN.email, ADMIN.password);
      await page.goto(`${service.url}/console/operations/write-backs`);
      await page.getByRole('link', { name: 'Waiting to go out' }).click();
      const table = page.getByRole('table', { name: 'Writes waiting to be delivered or retried, newest first' });
      expect(await table.textContent()).toContain(`#${waitingId} CRM field update`);
      expect(await table.textContent()).toContain((await outboxRow(waitingId)).last_error);
      await Promise.all([page.waitForURL(/write-backs\?show=waiting$/), page.getByRole('button', { name: `Send now: write-back ${waitingId}` }).click()]);
      expect(await deliver()).toMatchObject({ delivered: 1 });
      expect(String(salesforce().record('Contact', contacts[2])!.NPS_Last_Score__c)).toBe('3');
      await page.reload();
      expect(await page.getByText('Nothing is waiting').isVisible()).toBe(true);
      await context.close();
    },
    60_000,
  );

  it('sync runs, webhook deliveries and the overview show what really happened', async () => {
    const admin = await signedInAgent(service.url, ADMIN.email, ADMIN.password);
    const runs = await admin.get('/console/operations/sync-runs');
    expect(runs.status).toBe(200);
    const [run] = await db.query(`SELECT records_read, api_calls FROM sync_runs WHERE connection_id = $1 AND status = 'succeeded'`, [crmId]);
    expect(runs.text).toContain('Salesforce sandbox (salesforce)');
    expect(runs.text).toContain('Full, asked for');
    expect(runs.text).toContain(`>${Number(run.records_read).toLocaleString('en')} read<`);
    expect(runs.text).toContain('succeeded');

    const deliveries = await admin.get('/console/operations/webhook-deliveries');
    const rows = await db.query(`SELECT delivery_id, outcome FROM webhook_deliveries ORDER BY id DESC`);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(deliveries.text).toContain(`<code>${row.delivery_id}</code>`);
    expect(deliveries.text.indexOf(rows[0].delivery_id)).toBeLessThan(deliveries.text.indexOf(rows[1].delivery_id));

    const overview = await admin.get('/console/operations');
    expect(overview.text).toContain('Vendor writes per connection and state');
    expect(overview.text).toMatch(/CRM field update<\/td><td data-label="State">delivered<\/td><td data-label="Count" class="numeric">2</);
    expect(overview.text).toMatch(/CRM field update<\/td><td data-label="State">dismissed<\/td><td data-label="Count" class="numeric">1</);

    // Pages are read newest first, 50 at a time, with an "Older" link while more remain.
    await db.query(
      `INSERT INTO webhook_deliveries (connection_id, source, delivery_id, content_key, event_type, payload, processed_at, outcome)
       SELECT NULL, 'paging-test', 'paging-' || i, 'paging-' || i, 'ticket.solved', '{}'::jsonb, now(), 'ticket_not_found' FROM generate_series(1, 55) i`,
    );
    const first = await admin.get('/console/operations/webhook-deliveries');
    expect(first.text.match(/<code>paging-\d+<\/code>/g)).toHaveLength(50);
    const older = /href="(\/console\/operations\/webhook-deliveries\?before=\d+)" rel="next"/.exec(first.text)![1];
    const second = await admin.get(older);
    expect((second.text.match(/<code>paging-\d+<\/code>/g) ?? []).length + (second.text.match(/<code>[^<]+<\/code>/g) ?? []).filter((c) => !c.includes('paging-')).length).toBe(7);
    expect(second.text).not.toContain('rel="next"');
    expect(second.text).toContain('href="/console/operations/webhook-deliveries">Newest</a>');
  });

  it('admin keys: made in the console (shown once, it opens /api), listed, revoked (refused from then on)', async () => {
    const admin = await signedInAgent(service.url, ADMIN.email, ADMIN.password);
    const list = await admin.get('/console/operations/admin-keys');
    const empty = await admin
      .post('/console/operations/admin-keys')
      .type('form')
      .send({ _csrf: csrfOf(list.text), name: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Name is required');
    const made = await admin
      .post('/console/operations/admin-keys')
      .type('form')
      .send({ _csrf: csrfOf(list.text), name: 'warehouse export' });
    expect(made.status).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const key = /<code class="secret"[^>]*>(npsb_[A-Za-z0-9_-]{43})<\/code>/.exec(made.text)![1];
    expect((await request(service.url).get('/api/admin-keys').set('Authorization', `Bearer ${key}`)).status).toBe(200);
    const listed = await admin.get('/console/operations/admin-keys');
    expect(listed.text).toContain('warehouse export');
    expect(listed.text).toContain(`${key.slice(0, 12)}…`);
    expect(listed.text).not.toContain(key);

    const [row] = await db.query(`SELECT id FROM admin_keys WHERE name = 'warehouse export'`);
    const confirm = await admin.get(`/console/operations/admin-keys/${row.id}/revoke`);
    expect(confirm.text).toContain('<h1>Revoke the key “warehouse export”?</h1>');
    const revoked = await admin
      .post(`/console/operations/admin-keys/${row.id}/revoke`)
      .type('form')
      .send({ _csrf: csrfOf(confirm.text) });
    expect([revoked.status, revoked.headers.location]).toEqual([303, '/console/operations/admin-keys']);
    expect((await request(service.url).get('/api/admin-keys').set('Authorization', `Bearer ${key}`)).status).toBe(401);
    expect((await admin.get(`/console/operations/admin-keys/${row.id}/revoke`)).status).toBe(404);
    expect((await admin.get('/console/operations/admin-keys/not-a-uuid/revoke')).status).toBe(400);
  });

  it('console users: added, refused with the field named, role changed, never the last admin, removed (signed out at once)', async () => {
    const admin = await signedInAgent(service.url, ADMIN.email, ADMIN.password);
    const page = await admin.get('/console/operations/users');
    const token = csrfOf(page.text);
    const add = (fields: Record<string, string>) =>
      admin
        .post('/console/operations/users')
        .type('form')
        .send({ _csrf: token, ...fields });
    const short = await add({ email: 'sam@acme.example', password: 'short', role: 'viewer' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Password must be at least 12 characters (it has 5)');
    expect(short.text).toContain('value="sam@acme.example"');
    const taken = await add({ email: 'ADA@acme.example', password: 'long enough password', role: 'viewer' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('Email is already used by another console user');
    const added = await add({ email: 'sam@acme.example', password: 'long enough password', role: 'viewer' });
    expect([added.status, added.headers.location]).toEqual([303, '/console/operations/users']);
    expect((await admin.get('/console/operations/users')).text).toContain('sam@acme.example was added as a viewer.');

    const [sam] = await db.query(`SELECT id FROM console_users WHERE email = 'sam@acme.example'`);
    const [ada] = await db.query(`SELECT id FROM console_users WHERE email = $1`, [ADMIN.email]);
    const lastAdmin = await admin.post(`/console/operations/users/${ada.id}/role`).type('form').send({ _csrf: token, role: 'viewer' });
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.text).toContain('The console needs at least one admin: make another user admin first.');
    expect((await admin.post(`/console/operations/users/${sam.id}/role`).type('form').send({ _csrf: token, role: 'owner' })).status).toBe(400);
    const promoted = await admin.post(`/console/operations/users/${sam.id}/role`).type('form').send({ _csrf: token, role: 'admin' });
    expect(promoted.status).toBe(303);
    expect((await db.query(`SELECT role FROM console_users WHERE id = $1`, [sam.id]))[0].role).toBe('admin');

    const samAgent = await signedInAgent(service.url, 'sam@acme.example', 'long enough password');
    expect((await samAgent.get('/console/operations')).status).toBe(200);
    const confirm = await admin.get(`/console/operations/users/${sam.id}/remove`);
    expect(confirm.text).toContain('<h1>Remove sam@acme.example?</h1>');
    expect((await admin.post(`/console/operations/users/${sam.id}/remove`).type('form').send({ _csrf: token })).status).toBe(303);
    const after = await samAgent.get('/console/operations');
    expect([after.status, after.headers.location]).toEqual([302, '/console/login?next=%2Fconsole%2Foperations']);
    expect(await db.query(`SELECT action FROM audit_log WHERE entity = 'console_user' AND entity_id = $1 ORDER BY id`, [sam.id])).toEqual([
      { action: 'console_user.created' },
      { action: 'console_user.role_changed' },
      { action: 'console_user.removed' },
    ]);
  });

  maybe(
    'every console page passes axe (no serious or critical violation) at 390 px and 1280 px, fits the phone, reads without JavaScript; screenshots saved',
    async () => {
      // Something in each list: a refused write and one waiting through an outage.
      await queueFieldUpdate(contacts[3], { Not_A_Field__c: 1 });
      await deliver();
      salesforce().setOutage(true);
      await queueFieldUpdate(contacts[4], { NPS_Last_Score__c: 10 });
      await deliver();
      salesforce().setOutage(false);
      const [key] = await db.query(`SELECT id FROM admin_keys WHERE revoked_at IS NULL ORDER BY created_at LIMIT 1`);
      const [viewer] = await db.query(`SELECT id FROM console_users WHERE email = $1`, [VIEWER.email]);

      browser ??= await launchChromium();
      const seen: Record<string, string[]> = {};
      for (const viewport of AXE_VIEWPORTS) {
        const suffix = viewport.width === PHONE.width ? '-390' : '';
        for (const javaScriptEnabled of [true, false]) {
          const check = async (page: Page, name: string, h1: string, screenshot = true) => {
            expect([name, await page.getByRole('heading', { level: 1 }).textContent()]).toEqual([name, h1]);
            // axe needs the page's timers, which do not run without JavaScript: it checks the same HTML with it.
            if (javaScriptEnabled) expect([name, viewport.width, await seriousAxeViolations(page)]).toEqual([name, viewport.width, []]);
            expect([name, viewport.width, await sidewaysOverflow(page)]).toEqual([name, viewport.width, 0]);
            expect([name, await page.locator('script, style, [style]').count()]).toEqual([name, 0]);
            if (javaScriptEnabled && screenshot) await page.screenshot({ path: artifactPath(`${name}${suffix}`), fullPage: true });
          };
          // A page may take long on a machine busy with other work (CI shares two cores): wait for it to load, well past Playwright's 30 s default.
          const open = async (context: BrowserContext) => {
            const page = await context.newPage();
            page.setDefaultTimeout(120_000);
            return page;
          };

          const signedOut = await browser.newContext({ viewport, javaScriptEnabled });
          const anon = await open(signedOut);
          await anon.goto(`${service.url}/console/login`);
          await check(anon, 'login', 'Sign in');
          await anon.goto(`${service.url}/console/setup?token=used-or-unknown`);
          await check(anon, 'setup-link-used', 'This setup link no longer works');
          await anon.goto(`${service.url}/console/login`);
          await anon.getByLabel('Email').fill(ADMIN.email);
          await anon.getByLabel('Password').fill('not the password');
          await anon.getByRole('button', { name: 'Sign in' }).click();
          await check(anon, 'login-failed', 'Sign in');
          await signedOut.close();

          const context = await browser.newContext({ viewport, javaScriptEnabled });
          const page = await open(context);
          await signInInBrowser(page, service.url, ADMIN.email, ADMIN.password);
          // Every page reachable from the dashboard by its links, each once.
          const queue = ['/console'];
          const visited = new Set<string>();
          while (queue.length) {
            const path = queue.shift()!;
            if (visited.has(path)) continue;
            visited.add(path);
            const response = await page.goto(`${service.url}${path}`);
            expect([path, response?.status()]).toEqual([path, 200]);
            const name =
              path === '/console'
                ? 'dashboard'
                : path
                    .replace('/console/operations/', '')
                    .replace('/console/', '')
                    .replace(/^\/console\?/, 'dashboard-')
                    .replace(/\?show=/, '-')
                    .replace(/[/?=&]+/g, '-');
            // A page per key or user (confirmations) and the default list's second address are shot once, below.
            const shot = !/[0-9a-f]{8}-[0-9a-f]{4}-|before=/.test(path) && !path.endsWith('?show=refused');
            await check(page, name, (await page.getByRole('heading', { level: 1 }).textContent())!, shot);
            const links = (await page.evaluate(`[...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))`)) as string[];
            // CSV downloads are files, not pages (the dashboard's own test downloads them).
            for (const href of links) if (href.startsWith('/console') && !href.startsWith('/console/assets') && !/\.csv(\?|$)/.test(href) && !visited.has(href)) queue.push(href);
          }
          seen[`${viewport.width}-${javaScriptEnabled}`] = [...visited].sort();

          // Pages reached by a form or an error.
          await page.goto(`${service.url}/console/operations/admin-keys`);
          await page.getByLabel('Name').fill(`axe ${viewport.width} ${javaScriptEnabled}`);
          await page.getByRole('button', { name: 'Make key' }).click();
          await check(page, 'admin-key-made', 'Admin key made');
          await page.goto(`${service.url}/console/operations/admin-keys/${key.id}/revoke`);
          await check(page, 'admin-key-revoke', (await page.getByRole('heading', { level: 1 }).textContent())!);
          await page.goto(`${service.url}/console/operations/users/${viewer.id}/remove`);
          await check(page, 'user-remove', `Remove ${VIEWER.email}?`);
          await page.goto(`${service.url}/console/no-such-page`);
          await check(page, 'not-found', 'Page not found');
          await page.goto(`${service.url}/console/operations/users`);
          await page.evaluate(`document.querySelectorAll('input[name=_csrf]').forEach((input) => input.remove())`);
          await page.getByLabel('Email').fill('no-token@acme.example');
          await page.getByLabel('Password').fill('a password without its token');
          await page.getByRole('button', { name: 'Add person' }).click();
          await check(page, 'form-refused', 'This form could not be accepted');
          await context.close();

          const viewerContext = await browser.newContext({ viewport, javaScriptEnabled });
          const viewerPage = await open(viewerContext);
          await signInInBrowser(viewerPage, service.url, VIEWER.email, VIEWER.password);
          await check(viewerPage, 'dashboard-viewer', 'Dashboard');
          await viewerPage.goto(`${service.url}/console/operations/users`);
          await check(viewerPage, 'forbidden', 'You do not have access to this page');
          await viewerContext.close();
        }
      }
      const expected = [
        '/console',
        '/console/operations',
        '/console/operations/admin-keys',
        '/console/operations/sync-runs',
        '/console/operations/users',
        '/console/operations/webhook-deliveries',
        '/console/operations/write-backs',
        '/console/operations/write-backs?show=refused',
        '/console/operations/write-backs?show=waiting',
      ];
      for (const pages of Object.values(seen)) expect(pages).toEqual(expect.arrayContaining(expected));
    },
    600_000,
  );

  it('the admin API acts on the same write-backs as the console (one service): retry, dismiss, 404 once done, 400 for a bad id', async () => {
    const refusedId = await queueFieldUpdate(contacts[5], { Still_Not_A_Field__c: 1 });
    expect(await deliver()).toMatchObject({ failed: 1 });
    const listed = await request(service.url).get('/api/write-backs?status=failed').set(auth);
    expect(listed.body.failed.map((w: { id: string }) => String(w.id))).toContain(refusedId);
    const retried = await request(service.url).post(`/api/write-backs/${refusedId}/retry`).set(auth);
    expect([retried.status, retried.body]).toEqual([200, { id: refusedId, status: 'pending' }]);
    expect(await deliver()).toMatchObject({ failed: 1 }); // the field still does not exist: refused again, with the vendor's words
    expect(await outboxRow(refusedId)).toMatchObject({ status: 'failed', attempts: 2, last_error: expect.stringContaining('Still_Not_A_Field__c') });
    expect((await request(service.url).post(`/api/write-backs/${refusedId}/dismiss`).set(auth)).status).toBe(204);
    expect(await outboxRow(refusedId)).toMatchObject({ status: 'dismissed' });
    const again = await request(service.url).post(`/api/write-backs/${refusedId}/dismiss`).set(auth);
    expect([again.status, again.body.message]).toEqual([404, `no vendor write waiting or refused with id ${refusedId} (it may have been delivered or dismissed meanwhile)`]);
    expect((await request(service.url).post('/api/write-backs/abc/retry').set(auth)).body).toMatchObject({ statusCode: 400, message: ['id: must be a write-back number'] });
    expect((await request(service.url).post(`/api/write-backs/${refusedId}/retry`)).status).toBe(401);
  });
});
