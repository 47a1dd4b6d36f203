import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { MailTransport } from '@libs/app/src/delivery/mail-transport';
import { SurveyDispatcher } from '@libs/app/src/delivery/survey-dispatcher';
import { ResponseSettler } from '@libs/app/src/responses/settle-responses';
import { CaughtMail } from '@apps/sandbox/src/mail-catcher';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';

const NOW = new Date('2026-11-03T10:00:00Z');

describe('survey delivery and the survey page', () => {
  let service: TestService;
  let db: DataSource;
  let fx: CrmFixtures;
  let clock: Clock;
  let dispatcher: SurveyDispatcher;
  let accountId: string;
  let contactId: string;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: true });
    db = service.app.get(DataSource);
    fx = new CrmFixtures(db);
    clock = service.app.get(CLOCK);
    dispatcher = service.app.get(SurveyDispatcher);
    await db.query(`UPDATE program_settings SET settings = $1`, [
      { live: true, profile: { productName: 'Beacon', companyName: 'Acme Inc', senderName: 'Acme CS', senderEmail: 'nps@acme.example' } },
    ]);
    const conn = await fx.connection('crm');
    await fx.owner(conn, 'U1', 'Casey Lee', 'casey@acme.example');
    accountId = await fx.account(conn, { arr: '120000.00', tier: 'Enterprise', customerSince: '2025-06-01', owner: 'U1' });
    contactId = await fx.contact(conn, accountId, { email: 'pat@customer.example', firstName: 'Pat', role: 'decision_maker' });
  });
  afterAll(() => service.close());

  beforeEach(async () => {
    clock.now = () => NOW;
    service.mail!.clear();
    await db.query(`TRUNCATE surveys, responses, opt_outs CASCADE`);
  });

  async function dueSurvey(email = 'pat@customer.example', trigger = 'pre_renewal'): Promise<string> {
    const [row] = await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, account_id, email, recipient_name, status, scheduled_at, source_ref)
       VALUES ('relational', $1, $2, $3, $4, $5, 'Pat', 'scheduled', $6, '2027-01-20') RETURNING id`,
      [trigger, `${trigger}:${email}:${Math.random()}`, contactId, accountId, email, new Date(NOW.getTime() - 1000)],
    );
    return row.id;
  }

  const tokenOf = (mail: CaughtMail) => /\/s\/([A-Za-z0-9_-]{43})\/0\b/.exec(mail.text ?? '')![1];

  it('sends a due survey from the CSM with 11 one-click links and an unsubscribe link', async () => {
    const id = await dueSurvey();
    expect(await dispatcher.dispatchDue()).toEqual({ sent: 1, skipped: 0, failed: 0 });
    const mail = await service.mail!.waitFor(() => true, 5000);
    expect(mail.from).toEqual({ name: 'Casey Lee at Acme Inc', address: 'nps@acme.example' });
    expect(mail.replyTo).toEqual({ name: '', address: 'casey@acme.example' });
    expect(mail.to).toEqual([expect.objectContaining({ address: 'pat@customer.example' })]);
    const token = tokenOf(mail);
    for (let score = 0; score <= 10; score++) {
      expect(mail.html).toContain(`${service.url}/s/${token}/${score}"`);
      expect(mail.text).toContain(`${service.url}/s/${token}/${score}`);
    }
    expect(mail.headers['list-unsubscribe']).toBe(`<${service.url}/s/${token}/unsubscribe>`);
    const [survey] = await db.query(`SELECT status, sent_at, expires_at, token_hash FROM surveys WHERE id = $1`, [id]);
    expect(survey.status).toBe('sent');
    expect(survey.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(survey.token_hash).not.toContain(token);
    expect((survey.expires_at as Date).getTime() - (survey.sent_at as Date).getTime()).toBe(30 * 86_400_000);
  });

  it('never sends a survey twice when two workers dispatch at once', async () => {
    await dueSurvey();
    const results = await Promise.all([dispatcher.dispatchDue(), dispatcher.dispatchDue(), dispatcher.dispatchDue()]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
    await service.mail!.waitFor(() => true, 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(service.mail!.messages()).toHaveLength(1);
  });

  it('keeps a survey when SMTP fails and sends it after the backoff', async () => {
    const id = await dueSurvey();
    const working = MailTransport.fallbackUrl;
    MailTransport.fallbackUrl = 'smtp://127.0.0.1:1';
    try {
      expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, skipped: 0, failed: 1 });
    } finally {
      MailTransport.fallbackUrl = working;
    }
    const [failed] = await db.query(`SELECT status, send_attempts, next_attempt_at, last_error FROM surveys WHERE id = $1`, [id]);
    expect(failed).toMatchObject({ status: 'scheduled', send_attempts: 1 });
    expect((failed.next_attempt_at as Date).toISOString()).toBe('2026-11-03T10:01:00.000Z');
    expect(failed.last_error).toMatch(/ECONNREFUSED/);
    expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, skipped: 0, failed: 0 }); // not before the backoff
    clock.now = () => new Date(NOW.getTime() + 61_000);
    expect(await dispatcher.dispatchDue()).toEqual({ sent: 1, skipped: 0, failed: 0 });
  });

  it('records nothing when every score link is opened, as a mail scanner does', async () => {
    const id = await dueSurvey();
    await dispatcher.dispatchDue();
    const mail = await service.mail!.waitFor(() => true, 5000);
    const token = tokenOf(mail);
    for (let score = 0; score <= 10; score++) {
      const page = await request(service.url).get(`/s/${token}/${score}`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(new RegExp(`id="score-${score}"[^>]* checked>`));
      expect(page.text).toContain('<script src="/assets/survey.js" defer></script>');
      expect(page.headers['cache-control']).toBe('no-store');
    }
    await request(service.url).get(`/s/${token}/unsubscribe`);
    expect(await db.query(`SELECT id FROM responses WHERE survey_id = $1`, [id])).toEqual([]);
    expect((await db.query(`SELECT status FROM surveys WHERE id = $1`, [id]))[0].status).toBe('sent');
    expect(await db.query(`SELECT email FROM opt_outs`)).toEqual([]);
  });

  it('shows the clicked score with its category question, records it when the page was visible, settles on comment', async () => {
    const id = await dueSurvey();
    await dispatcher.dispatchDue();
    const token = tokenOf(await service.mail!.waitFor(() => true, 5000));

    const opened = await request(service.url).get(`/s/${token}/4`);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('What is the primary reason for your score?');
    expect(opened.text).toContain('<button type="submit">Confirm score</button>');
    const promoterPage = await request(service.url).get(`/s/${token}/9`);
    expect(promoterPage.text).toContain('What do you value most?');
    expect(promoterPage.text).toContain("I'd be open to a reference call or case study");

    // What the page's script sends after 2 s of visibility.
    const seen = await request(service.url).post(`/s/${token}/score`).type('form').send({ score: '4', via: 'visible' });
    expect(seen.status).toBe(204);
    const changed = await request(service.url).post(`/s/${token}/score`).type('form').send({ score: '9', via: 'visible' });
    expect(changed.status).toBe(204);
    let [response] = await db.query(`SELECT * FROM responses WHERE survey_id = $1`, [id]);
    expect(response).toMatchObject({
      score: 9,
      category: 'promoter',
      settled_at: null,
      role_snapshot: 'decision_maker',
      tier_snapshot: 'Enterprise',
      arr_band_snapshot: '100k_500k',
      tenure_band_snapshot: '1_2y',
      enterprise_snapshot: true,
      stream: 'relational',
      trigger: 'pre_renewal',
    });
    expect((await db.query(`SELECT status FROM surveys WHERE id = $1`, [id]))[0].status).toBe('answered');

    const thanks = await request(service.url).post(`/s/${token}/comment`).type('form').send({ comment: 'Great support, but pricing hurts', referenceOptIn: 'yes' });
    expect(thanks.status).toBe(200);
    expect(thanks.text).toMatch(/thank/i);
    [response] = await db.query(`SELECT * FROM responses WHERE survey_id = $1`, [id]);
    expect(response).toMatchObject({ comment: 'Great support, but pricing hurts', reference_opt_in: true, themes: expect.arrayContaining(['pricing']) });
    expect((response.settled_at as Date).toISOString()).toBe(NOW.toISOString());
    const afterSettle = await request(service.url).get(`/s/${token}/2`);
    expect(afterSettle.text).toMatch(/thank/i);
    expect((await request(service.url).post(`/s/${token}/score`).type('form').send({ score: '2', via: 'visible' })).status).toBe(204);
    expect((await db.query(`SELECT score FROM responses WHERE survey_id = $1`, [id]))[0].score).toBe(9);
  });

  it('records score and comment together and settles at the first submit without JavaScript ("Confirm score")', async () => {
    const id = await dueSurvey();
    await dispatcher.dispatchDue();
    const token = tokenOf(await service.mail!.waitFor(() => true, 5000));
    await request(service.url).get(`/s/${token}/9`);
    // The person changed the radio to 6 before confirming: the opt-in is a promoter's only.
    const sent = await request(service.url).post(`/s/${token}/score`).type('form').send({ score: '6', comment: 'Onboarding took <b>weeks</b>', referenceOptIn: 'yes' });
    expect(sent.status).toBe(200);
    expect(sent.text).toMatch(/thank/i);
    const [response] = await db.query(`SELECT score, category, comment, reference_opt_in, settled_at FROM responses WHERE survey_id = $1`, [id]);
    expect(response).toMatchObject({ score: 6, category: 'detractor', comment: 'Onboarding took <b>weeks</b>', reference_opt_in: false });
    expect((response.settled_at as Date).toISOString()).toBe(NOW.toISOString());
  });

  it('refuses a visible-page post with a bad marker or score, naming the field', async () => {
    const id = await dueSurvey();
    await dispatcher.dispatchDue();
    const token = tokenOf(await service.mail!.waitFor(() => true, 5000));
    const badVia = await request(service.url).post(`/s/${token}/score`).type('form').send({ score: '5', via: 'scanner' });
    expect(badVia.status).toBe(400);
    expect(badVia.text).toContain('via');
    const badScore = await request(service.url).post(`/s/${token}/score`).type('form').send({ score: '12', via: 'visible' });
    expect(badScore.status).toBe(400);
    expect(badScore.text).toContain('score');
    expect(await db.query(`SELECT id FROM responses WHERE survey_id = $1`, [id])).toEqual([]);
  });

  it('serves the page script as a same-origin static file', async () => {
    const script = await request(service.url).get('/assets/survey.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.text).toContain('document.visibilityState');
    expect(script.text).toContain("body.set('via', 'visible')");
  });

  it('settles a response without a comment 30 minutes after the last change', async () => {
    const id = await dueSurvey();
    await dispatcher.dispatchDue();
    const token = tokenOf(await service.mail!.waitFor(() => true, 5000));
    await request(service.url).post(`/s/${token}/score`).type('form').send({ score: '7', via: 'visible' });
    const settler = service.app.get(ResponseSettler);
    clock.now = () => new Date(NOW.getTime() + 29 * 60_000);
    expect(await settler.settleDue()).toBe(0);
    clock.now = () => new Date(NOW.getTime() + 30 * 60_000);
    expect(await settler.settleDue()).toBe(1);
    const [response] = await db.query(`SELECT category, settled_at FROM responses WHERE survey_id = $1`, [id]);
    expect(response.category).toBe('passive');
    expect((response.settled_at as Date).toISOString()).toBe('2026-11-03T10:30:00.000Z');
  });

  it('answers 404 to an unknown token, 400 to a score outside 0-10, 410 after 30 days', async () => {
    await dueSurvey();
    await dispatcher.dispatchDue();
    const token = tokenOf(await service.mail!.waitFor(() => true, 5000));
    expect((await request(service.url).get(`/s/${'x'.repeat(43)}/5`)).status).toBe(404);
    const bad = await request(service.url).get(`/s/${token}/11`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Please choose a score: a whole number from 0 to 10.');
    expect((await request(service.url).get(`/s/${token}/-1`)).status).toBe(400);
    expect((await request(service.url).post(`/s/${token}/score`).type('form').send({ score: '6.5' })).status).toBe(400);
    clock.now = () => new Date(NOW.getTime() + 30 * 86_400_000);
    expect((await request(service.url).get(`/s/${token}/5`)).status).toBe(200);
    clock.now = () => new Date(NOW.getTime() + 30 * 86_400_000 + 1000);
    const expired = await request(service.url).get(`/s/${token}/5`);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('expired');
  });

  it('unsubscribes with one POST (List-Unsubscribe-Post) and never surveys that address again', async () => {
    await dueSurvey();
    await dispatcher.dispatchDue();
    const token = tokenOf(await service.mail!.waitFor(() => true, 5000));
    const res = await request(service.url).post(`/s/${token}/unsubscribe`).type('form').send('List-Unsubscribe=One-Click');
    expect(res.status).toBe(200);
    expect(await db.query(`SELECT email FROM opt_outs`)).toEqual([{ email: 'pat@customer.example' }]);
    const next = await dueSurvey('pat@customer.example', 'quarterly');
    clock.now = () => new Date(NOW.getTime() + 42 * 86_400_000); // a Tuesday, inside the send window
    await dispatcher.dispatchDue();
    expect((await db.query(`SELECT status, skip_reason FROM surveys WHERE id = $1`, [next]))[0]).toEqual({ status: 'skipped', skip_reason: 'opted_out' });
  });
});
