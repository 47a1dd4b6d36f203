import type { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SurveyDispatcher } from '@libs/app/src/delivery/survey-dispatcher';
import { CaughtMail } from '@apps/sandbox/src/mail-catcher';
import { CLOCK, Clock } from '@libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';

const NOW = Date.parse('2026-11-03T10:00:00Z');
const DAY = 86_400_000;
const PUBLIC_URL = 'https://nps.example.com';

/** rules §4 "Opt-out": the unsubscribe link works forever, for a survey in any state, and sticks. */
describe('unsubscribing (rules §4)', () => {
  let service: TestService;
  /** Where the service listens; service.url is the public https address the emails name. */
  let local: string;
  let db: DataSource;
  let clock: Clock;
  let dispatcher: SurveyDispatcher;
  let accountId: string;
  let contactId: string;

  beforeAll(async () => {
    // Links in the email use PUBLIC_URL (https here); requests still go to the local port.
    service = await startTestService({ api: true, worker: true, sandbox: true }, { PUBLIC_URL });
    const address = (service.app as INestApplication).getHttpServer().address() as AddressInfo;
    local = `http://127.0.0.1:${address.port}`;
    db = service.app.get(DataSource);
    clock = service.app.get(CLOCK);
    dispatcher = service.app.get(SurveyDispatcher);
    await db.query(`UPDATE program_settings SET settings = $1`, [
      { live: true, profile: { productName: 'Beacon', companyName: 'Acme Inc', senderName: 'Acme CS', senderEmail: 'nps@acme.example' } },
    ]);
    const fx = new CrmFixtures(db);
    const conn = await fx.connection('crm');
    accountId = await fx.account(conn, { arr: '50000.00' });
    contactId = await fx.contact(conn, accountId, { email: 'pat@customer.example', firstName: 'Pat', role: 'admin' });
  });
  afterAll(() => service.close());

  beforeEach(async () => {
    clock.now = () => new Date(NOW);
    service.mail!.clear();
    await db.query(`TRUNCATE surveys, responses, opt_outs CASCADE`);
    await db.query(`UPDATE contacts SET unsubscribed_at = NULL`);
  });

  async function dueSurvey(trigger = 'quarterly', at = new Date(clock.now().getTime() - 1000)): Promise<string> {
    const [row] = await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, account_id, email, recipient_name, status, scheduled_at)
       VALUES ('relational', $1, gen_random_uuid()::text, $2, $3, 'pat@customer.example', 'Pat', 'scheduled', $4) RETURNING id`,
      [trigger, contactId, accountId, at],
    );
    return row.id;
  }

  async function sentSurveyToken(): Promise<{ id: string; token: string; mail: CaughtMail }> {
    const id = await dueSurvey();
    expect(await dispatcher.dispatchDue()).toEqual({ sent: 1, skipped: 0, failed: 0 });
    const mail = await service.mail!.waitFor(() => true, 5000);
    const token = /\/s\/([A-Za-z0-9_-]{43})\/unsubscribe/.exec(mail.text ?? '')![1];
    return { id, token, mail };
  }

  it('puts the https unsubscribe link and the RFC 8058 one-click header on the email when PUBLIC_URL is https', async () => {
    const { token, mail } = await sentSurveyToken();
    expect(mail.headers['list-unsubscribe']).toBe(`<${PUBLIC_URL}/s/${token}/unsubscribe>`);
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toContain(`Unsubscribe: ${PUBLIC_URL}/s/${token}/unsubscribe`);
  });

  it('a link 400 days old: scores answer 410, the confirm page still shows, one-click POST unsubscribes for good', async () => {
    const { id, token } = await sentSurveyToken();
    clock.now = () => new Date(NOW + 400 * DAY);

    expect((await request(local).get(`/s/${token}/9`)).status).toBe(410);
    const confirm = await request(local).get(`/s/${token}/unsubscribe`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`<form method="post" action="/s/${token}/unsubscribe">`);
    expect(await db.query(`SELECT email FROM opt_outs`)).toEqual([]); // the GET only asks

    const pending = await dueSurvey('pre_renewal', new Date(NOW + 401 * DAY));
    const done = await request(local).post(`/s/${token}/unsubscribe`).type('form').send('List-Unsubscribe=One-Click');
    expect(done.status).toBe(200);
    expect(done.text).toContain('pat@customer.example will not receive any more surveys from Acme Inc.');
    const [optOut] = await db.query(`SELECT email, survey_id, opted_out_at FROM opt_outs`);
    expect(optOut).toEqual({ email: 'pat@customer.example', survey_id: id, opted_out_at: new Date(NOW + 400 * DAY) });
    const [contact] = await db.query(`SELECT unsubscribed_at FROM contacts WHERE id = $1`, [contactId]);
    expect(contact.unsubscribed_at).toEqual(new Date(NOW + 400 * DAY));

    // Never surveyed again: the pending survey is cancelled, and a later one is skipped at send time.
    expect((await db.query(`SELECT status, skip_reason FROM surveys WHERE id = $1`, [pending]))[0]).toEqual({ status: 'cancelled', skip_reason: 'opted_out' });
    clock.now = () => new Date(NOW + 500 * DAY);
    const later = await dueSurvey();
    expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect((await db.query(`SELECT status, skip_reason FROM surveys WHERE id = $1`, [later]))[0]).toEqual({ status: 'skipped', skip_reason: 'opted_out' });
    expect(service.mail!.messages()).toHaveLength(1);
  });

  it('an answered, settled survey still unsubscribes', async () => {
    const { id, token } = await sentSurveyToken();
    const sent = await request(local).post(`/s/${token}/score`).type('form').send({ score: '8', comment: 'fine' });
    expect(sent.status).toBe(200);
    expect((await db.query(`SELECT s.status, r.settled_at IS NOT NULL AS settled FROM surveys s JOIN responses r ON r.survey_id = s.id WHERE s.id = $1`, [id]))[0]).toEqual({
      status: 'answered',
      settled: true,
    });
    expect((await request(local).get(`/s/${token}/unsubscribe`)).status).toBe(200);
    expect((await request(local).post(`/s/${token}/unsubscribe`).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);
    expect(await db.query(`SELECT email FROM opt_outs`)).toEqual([{ email: 'pat@customer.example' }]);
  });

  it('an unknown link answers 404 and unsubscribes nobody', async () => {
    await sentSurveyToken();
    const unknown = 'A'.repeat(43);
    expect((await request(local).get(`/s/${unknown}/unsubscribe`)).status).toBe(404);
    expect((await request(local).post(`/s/${unknown}/unsubscribe`).type('form').send('List-Unsubscribe=One-Click')).status).toBe(404);
    expect(await db.query(`SELECT email FROM opt_outs`)).toEqual([]);
  });
});
