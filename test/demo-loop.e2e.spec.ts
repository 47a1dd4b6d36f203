import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { Launched } from '@apps/all-in-one/src/roots';
import { CaughtMail } from '@apps/sandbox/src/mail-catcher';
import { SurveyDispatcher } from '@libs/app/src/delivery/survey-dispatcher';
import { OutboxDispatcher } from '@libs/app/src/outbox/outbox-dispatcher';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { SalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { ZendeskSandbox } from '@apps/sandbox/src/zendesk';
import { CLOCK, Clock } from '@libs/config/src';
import { SurveysRepository } from '@libs/db/src/repositories/surveys.repository';
import { isSuppressed } from '@libs/nps/src';
import { ProgramService } from '@libs/app/src/program/program.service';
import { crmSynced, freePort, startDemo } from './support/demo-service';
import { answer } from './support/survey-answers';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { BuiltSandbox } from '@apps/sandbox/src/kit/sandbox-demo';

const ALL_DAY_PROGRAM = {
  companyName: 'Acme Inc.',
  productName: 'Acme Analytics',
  senderName: 'Acme Customer Success',
  senderEmail: 'cs@acme.example',
  live: true,
  // Every day, all day: the loop is seen whenever the test runs.
  rules: {
    sendDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
    sendWindowStart: '00:00',
    sendWindowEnd: '24:00',
    enterpriseEscalation: false,
  },
};

const tokenOf = (mail: CaughtMail) => /\/s\/([A-Za-z0-9_-]+)\/\d+/.exec(mail.text ?? '')![1];

/**
 * The all-in-one demo as a newcomer uses it (README "See the loop in two minutes"): the sandbox
 * pages show real records, the survey-now control solves a ticket and its survey email is caught,
 * an answer lands on the ticket; then Ctrl-C and `npm start` again (here on another port) and the
 * loop still goes round with no manual step, the sandboxes continuing from DATA_DIR.
 */
describe('the demo loop, across a restart', () => {
  let dataDir: string;
  let database: TestDatabase;
  let service: (Launched & { url: string }) | undefined;
  let auth: { Authorization: string };
  const zendesk = () => service!.sandboxes!.get('zendesk')!.sandbox as unknown as ZendeskSandbox & BuiltSandbox;
  const salesforce = () => service!.sandboxes!.get('salesforce')!.sandbox as unknown as SalesforceSandbox & BuiltSandbox;
  const db = () => service!.app.get(DataSource);
  const page = (path: string) => request(service!.url).get(path);
  let solvedTicketId: string;
  let maxTicketIdBeforeRestart: number;
  let firstAccount: { Id: string; Name: unknown; Renewal_Date__c: unknown; SystemModstamp: number };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'npsb-demo-'));
    database = await createTestDatabase();
    service = await startDemo(database.url, dataDir);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('test', 'test')).key}` };
  }, 60_000);
  // A failing test must not leave the service (and its pool on the test server) running.
  afterAll(async () => {
    await service?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('first start: the demo connects the sandboxes, and the sandbox pages list their real records', async () => {
    expect(service!.demo).toEqual(expect.arrayContaining([expect.stringMatching(/^salesforce sandbox connected/), expect.stringMatching(/^zendesk sandbox connected/)]));
    await crmSynced(db());
    expect((await request(service!.url).put('/api/program').set(auth).send(ALL_DAY_PROGRAM)).status).toBe(200);

    const index = await page('/sandbox');
    expect(index.status).toBe(200);
    expect(index.text).toContain('href="/sandbox/records/salesforce/accounts"');
    expect(index.text).toContain('href="/sandbox/records/zendesk/tickets"');
    expect(index.text).toContain('action="/sandbox/demo/survey-now"');
    expect(index.text).not.toMatch(/<script/i);

    const account = salesforce()
      .store.rows('Account')
      .find((r) => !r.IsDeleted)!;
    const accounts = await page('/sandbox/records/salesforce/accounts?page=1');
    expect(accounts.status).toBe(200);
    expect(accounts.text).toContain(`${salesforce().counts().Account} in all`);
    const detail = await page(`/sandbox/records/salesforce/accounts/${account.Id}`);
    expect(detail.text).toContain(`<h1>${String(account.Name).replace(/&/g, '&amp;').replace(/'/g, '&#39;')}</h1>`);
    expect(detail.text).toContain('NPS_Relational__c'); // the field setup created, readable now
    expect((await page('/sandbox/records/salesforce/accounts?page=0')).status).toBe(400);
    expect((await page('/sandbox/records/salesforce/nothing')).status).toBe(404);

    const [ticket] = zendesk().demo!.unsolvedTickets();
    const tickets = await page('/sandbox/records/zendesk/tickets');
    expect(tickets.text).toContain(`#${ticket.id} ${ticket.subject}`);
  });

  it('survey-now solves a ticket of a CRM contact and its survey email is caught at once; the answer shows on the ticket page', async () => {
    const now = await request(service!.url).post('/sandbox/demo/survey-now').set('Accept', 'application/json');
    expect(now.status).toBe(201);
    expect(now.body.survey).toMatchObject({ status: 'sent' });
    solvedTicketId = now.body.ticket.id;
    expect(zendesk().ticket(Number(solvedTicketId))!.status).toBe('solved');
    const mail = service!.mail!.message(now.body.mail.id)!;
    expect(mail.envelopeTo.map((to) => to.toLowerCase())).toEqual([now.body.ticket.requesterEmail.toLowerCase()]);
    expect(mail.text).toContain(`#${solvedTicketId}`);
    expect((await page(now.body.mail.page)).status).toBe(200);

    await answer(service!.url, tokenOf(mail), 2, 'Took a week to get an answer');
    await service!.app.get(OutboxDispatcher).deliverDue();
    const ticketPage = await page(now.body.ticket.page);
    expect(ticketPage.text).toContain('Private note');
    expect(ticketPage.text).toContain('NPS score: 2 (detractor)');
    expect(ticketPage.text).toContain('nps_detractor');
    // The CSM's side: the support score on the requester's contact in the CRM.
    const contact = salesforce()
      .store.rows('Contact')
      .find((c) => String(c.Email).toLowerCase() === now.body.ticket.requesterEmail.toLowerCase())!;
    const contactPage = await page(`/sandbox/records/salesforce/contacts/${contact.Id}`);
    expect(contactPage.text).toMatch(/Support_NPS_Last_Score__c\)<\/dt><dd>2<\/dd>/);
    const list = await page('/sandbox/records/zendesk/tickets');
    expect(list.text).toContain(`NPS detractor (2/10) on ticket #${solvedTicketId}`);

    // A browser's form post gets a page with links, not JSON.
    const form = await request(service!.url).post('/sandbox/demo/survey-now').set('Accept', 'text/html').set('Sec-Fetch-Site', 'same-origin');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Open the survey email');
    const crossSite = await request(service!.url).post('/sandbox/demo/survey-now').set('Sec-Fetch-Site', 'cross-site');
    expect(crossSite.status).toBe(403);
  }, 60_000);

  it('after Ctrl-C and a start on another port, the sandboxes continue from DATA_DIR and a solved ticket is surveyed again with no manual step', async () => {
    maxTicketIdBeforeRestart = Math.max(...[...zendesk().data.tickets.keys()]);
    const account = salesforce()
      .store.rows('Account')
      .find((r) => !r.IsDeleted)!;
    firstAccount = { Id: account.Id, Name: account.Name, Renewal_Date__c: account.Renewal_Date__c, SystemModstamp: account.SystemModstamp };
    const oldUrl = service!.url;
    await service!.stop();
    service = undefined;
    for (const kind of ['salesforce', 'zendesk']) expect(existsSync(join(dataDir, 'sandbox', `${kind}.json`))).toBe(true);

    let port = await freePort();
    while (oldUrl.endsWith(`:${port}`)) port = await freePort();
    service = await startDemo(database.url, dataDir, port);
    expect(service.url).not.toBe(oldUrl);
    expect(service.demo).toEqual(expect.arrayContaining([expect.stringMatching(/^zendesk sandbox moved to .* setup redone$/), expect.stringMatching(/^salesforce sandbox moved/)]));
    expect(salesforce().restored).toBe(true);
    expect(zendesk().restored).toBe(true);
    // The same org, not a regenerated one (its dates would follow the new start), with setup's fields and the loop's notes.
    expect(salesforce().record('Account', firstAccount.Id)).toMatchObject(firstAccount);
    expect(salesforce().customFields('Account')).toContainEqual(expect.objectContaining({ name: 'NPS_Relational__c', access: 'edit' }));
    expect((await page(`/sandbox/records/zendesk/tickets/${solvedTicketId}`)).text).toContain('NPS score: 2 (detractor)');

    // A support agent solves a ticket (the sandbox's control endpoint) of a contact not surveyed yet; the webhook reaches the service on its new port.
    const surveys = new SurveysRepository(db().manager);
    const { rules } = await service.app.get(ProgramService).get();
    let requester: { email: string; accountExternalId: string } | undefined;
    for (const person of salesforce().people!(1000)) {
      if (isSuppressed(new Date(), await surveys.surveysOf(person.email), rules)) continue;
      requester = person;
      break;
    }
    if (!requester) throw new Error('every demo contact is suppressed');
    const created = await request(service.url)
      .post('/sandbox/zendesk/_sandbox/mutate')
      .send({ action: 'createTicket', requesterEmail: requester.email, organizationExternalId: requester.accountExternalId, subject: 'Login loop after restart' });
    expect(created.status).toBe(200);
    const ticketId: number = created.body.result.id;
    expect(ticketId).toBeGreaterThan(maxTicketIdBeforeRestart); // ticket ids are never reused
    expect((await request(service.url).post('/sandbox/zendesk/_sandbox/mutate').send({ action: 'solveTicket', id: ticketId })).status).toBe(200);
    await zendesk().webhooksDelivered();
    const call = zendesk()
      .webhookCalls()
      .find((c) => JSON.parse(c.body).ticket_id === String(ticketId))!;
    expect(call.endpoint.startsWith(service.url)).toBe(true);
    expect(call.status).toBe(202);
    await service.app.get(TicketEvents).processDeliveries();
    const [survey] = await db().query(`SELECT id, status, scheduled_at FROM surveys WHERE source_ref = $1`, [String(ticketId)]);
    expect(survey.status).toBe('scheduled');

    // A day later (the test's clock) the dispatcher sends it, inside the all-day window set before the restart.
    const clock = service.app.get<Clock>(CLOCK);
    const later = new Date(survey.scheduled_at).getTime() + 60_000;
    clock.now = () => new Date(later);
    // (The demo's renewal surveys fall due too; this one is among those sent.)
    const status = async () => (await db().query(`SELECT status FROM surveys WHERE id = $1`, [survey.id]))[0].status;
    for (let batch = 0; batch < 20 && (await status()) === 'scheduled'; batch++) await service.app.get(SurveyDispatcher).dispatchDue();
    expect(await status()).toBe('sent');
    const mail = await service.mail!.waitFor((m) => (m.text ?? '').includes(`#${ticketId}`));
    expect(mail.envelopeTo.map((to) => to.toLowerCase())).toEqual([requester.email.toLowerCase()]);
  }, 90_000);
});
