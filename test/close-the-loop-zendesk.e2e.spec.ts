import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { OutboxDispatcher } from '@libs/app/src/outbox/outbox-dispatcher';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { createZendeskSandbox, ZendeskSandbox } from '@apps/sandbox/src/zendesk';
import { CLOCK, Clock } from '@libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { connectZendeskSandbox } from './support/zendesk-connection';
import { startTestService, TestService } from './support/service';
import { answer, markSent } from './support/survey-answers';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const START = Date.parse('2026-11-02T10:00:00Z');
const HOUR = 3600_000;

/**
 * Transactional NPS on the ticket (rules §6): a ticket solved in the Zendesk sandbox is
 * surveyed, answered on the survey page, and the score, tag and note land on the ticket (or on a
 * follow-up of a closed one), with a task ticket for detractors whose solve closes the loop.
 */
describe('closing the loop on Zendesk tickets', () => {
  let service: TestService;
  let db: DataSource;
  let zendesk: ZendeskSandbox;
  let served: ListeningSandbox;
  let auth: { Authorization: string };
  let connectionId: string;
  let scoreFieldId: number;
  let clock: Clock;
  let now = START;

  beforeAll(async () => {
    // The vendor's Retry-After waits take no wall time here; the clock still moves as the test says.
    ConnectorBuilder.sleepOverride = async () => undefined;
    service = await startTestService({ api: true, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    clock = service.app.get(CLOCK);
    clock.now = () => new Date(now);
    zendesk = createZendeskSandbox({
      seed: 3,
      users: 5,
      tickets: 0,
      now: () => now,
      knownRequesters: [{ email: 'pat@customer.example', name: 'Pat Doe', organizationExternalId: '001ACME' }],
    });
    served = await listenSandbox(zendesk);
    const fx = new CrmFixtures(db);
    const crm = await fx.connection('crm');
    const account = await fx.account(crm, { externalId: '001ACME', name: 'Acme Corp', arr: '48000.00', renewalDate: '2027-03-31' });
    await fx.contact(crm, account, { email: 'pat@customer.example', role: 'admin', firstName: 'Pat' });
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
    const connected = await connectZendeskSandbox(service.url, auth, served.url);
    connectionId = connected.connectionId;
    // The setup answer gives the helpdesk's field id as opaque text; Zendesk's own id is a number.
    scoreFieldId = Number(connected.setup.scoreFieldId);
    const [stored] = await db.query(`SELECT settings FROM connections WHERE id = $1`, [connectionId]);
    expect(stored.settings.npsScoreFieldId).toBe(scoreFieldId);
  });
  afterAll(async () => {
    ConnectorBuilder.sleepOverride = undefined;
    await served.close();
    await service.close();
  });

  /** A customer's ticket, solved in Zendesk, surveyed through the real webhook and planner, the email "sent". */
  async function surveyedTicket(): Promise<{ ticketId: number; token: string }> {
    const ticket = zendesk.createTicket({ requesterEmail: 'pat@customer.example', organizationExternalId: '001ACME', subject: 'Export fails' });
    zendesk.solveTicket(ticket.id);
    await zendesk.webhooksDelivered();
    await service.app.get(TicketEvents).processDeliveries();
    const [survey] = await db.query(`SELECT id FROM surveys WHERE source_ref = $1`, [String(ticket.id)]);
    return { ticketId: ticket.id, token: await markSent(db, survey.id, new Date(now)) };
  }

  const deliver = () => service.app.get(OutboxDispatcher).deliverDue();
  const privateNotes = (id: number) =>
    zendesk
      .ticket(id)!
      .comments.filter((c) => !c.public)
      .map((c) => c.body);

  it('a detractor: score field, nps_detractor and a private note on the ticket, and a task ticket due +48 h for its group', async () => {
    const { ticketId, token } = await surveyedTicket();
    const solvedGroup = zendesk.ticket(ticketId)!.group_id;
    await answer(service.url, token, 2, 'Took a week to get an answer');
    const [response] = await db.query(`SELECT r.id, r.settled_at FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE s.source_ref = $1`, [String(ticketId)]);
    expect(response.settled_at).not.toBeNull();
    expect(await deliver()).toMatchObject({ delivered: 2, retried: 0, failed: 0 });

    const ticket = zendesk.ticket(ticketId)!;
    expect(ticket.custom_fields).toContainEqual({ id: scoreFieldId, value: 2 });
    expect(ticket.tags).toContain('nps_detractor');
    const [note] = privateNotes(ticketId);
    expect(note.split('\n')).toEqual([
      'NPS score: 2 (detractor)',
      'Comment: "Took a week to get an answer"',
      'Respondent: Pat Doe <pat@customer.example>, admin',
      'Account: Acme Corp',
      'ARR: 48,000.00',
      'Renewal date: 2027-03-31',
      expect.stringMatching(new RegExp(`^Response: ${service.url}/r/[A-Za-z0-9_-]{43}$`)),
    ]);

    const [task] = zendesk.createdTickets();
    const [followUp] = await db.query(`SELECT id, status, external_id, due_at FROM follow_ups WHERE response_id = $1`, [response.id]);
    expect(task).toMatchObject({
      type: 'task',
      group_id: solvedGroup,
      external_id: `nps-bridge:follow-up:${followUp.id}`,
      subject: `NPS detractor (2/10) on ticket #${ticketId}: follow up with Pat Doe`,
    });
    expect(new Date(task.due_at!).getTime()).toBe(now + 48 * HOUR);
    expect(task.tags.sort()).toEqual(['nps_bridge', 'nps_detractor']);
    expect(task.comments[0]).toMatchObject({ public: false });
    expect(task.comments[0].body).toContain('Next step: Call the respondent, ask one root-cause question, and record the action.');
    expect(followUp).toMatchObject({ status: 'open', external_id: String(task.id) });

    // Solving the task ticket closes the loop (no survey for our own ticket), seen by reconciliation.
    now += 5 * HOUR;
    zendesk.solveTicket(task.id);
    await zendesk.webhooksDelivered();
    expect(zendesk.webhookCalls().filter((c) => JSON.parse(c.body.toString()).ticket_id === String(task.id))).toEqual([]);
    const solvedAt = now;
    now += 2 * 60_000; // the export leaves out the last minute
    await service.app.get(TicketEvents).reconcile(connectionId);
    const [closed] = await db.query(`SELECT status, completed_at FROM follow_ups WHERE id = $1`, [followUp.id]);
    expect(closed.status).toBe('completed');
    expect(new Date(closed.completed_at).getTime()).toBe(solvedAt);
    expect(await db.query(`SELECT 1 FROM surveys WHERE source_ref = $1`, [String(task.id)])).toEqual([]);

    const report = await request(service.url).get('/api/loop-closure').set(auth);
    expect(report.status).toBe(200);
    expect(report.body.streams.transactional.byCategory.detractor).toMatchObject({ closed: 1, overdue: 0, slaMet: 1, rate: 1 });
    expect(report.body.streams.relational.overall).toMatchObject({ closed: 0, overdue: 0, rate: null });
  });

  it('a ticket already closed: score, tag and note go on a follow-up ticket, the closed one is untouched', async () => {
    const { ticketId, token } = await surveyedTicket();
    zendesk.closeTicket(ticketId);
    await service.app.get(TicketEvents).reconcile(connectionId);
    const before = zendesk.ticket(ticketId)!;
    const created = zendesk.createdTickets().length;
    await answer(service.url, token, 9, 'Quick and kind');
    expect(await deliver()).toMatchObject({ delivered: 1, failed: 0 });

    expect(zendesk.ticket(ticketId)).toEqual(before);
    const followUps = zendesk.createdTickets().slice(created);
    expect(followUps).toHaveLength(1);
    const [followUp] = followUps;
    const [response] = await db.query(`SELECT r.id FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE s.source_ref = $1`, [String(ticketId)]);
    expect(followUp).toMatchObject({
      via_followup_source_id: ticketId,
      external_id: `nps-bridge:write-back:${response.id}`,
      subject: `NPS promoter (9/10) on closed ticket #${ticketId}`,
    });
    expect(followUp.custom_fields).toContainEqual({ id: scoreFieldId, value: 9 });
    expect(followUp.tags.sort()).toEqual(['nps_bridge', 'nps_promoter']);
    expect(followUp.comments[0]).toMatchObject({ public: false });
    expect(followUp.comments[0].body).toContain('NPS score: 9 (promoter)');
    // A promoter needs no task ticket.
    expect(await db.query(`SELECT 1 FROM follow_ups WHERE response_id = $1`, [response.id])).toEqual([]);
  });

  it('an outage delays the write-back; a create whose answer was lost is found, not made twice', async () => {
    const { ticketId, token } = await surveyedTicket();
    zendesk.outage(true);
    await answer(service.url, token, 0, 'Nobody answered');
    expect(await deliver()).toMatchObject({ delivered: 0, failed: 0 });
    zendesk.outage(false);
    zendesk.failAfterWrite(1);
    now += HOUR;
    await deliver(); // the write-back lands; the task ticket is made but its answer is lost
    now += 2 * HOUR;
    await deliver();
    const tasks = zendesk.createdTickets().filter((t) => t.type === 'task' && t.subject.includes(`#${ticketId}`));
    expect(tasks).toHaveLength(1);
    const [followUp] = await db.query(
      `SELECT f.status, f.external_id FROM follow_ups f JOIN responses r ON r.id = f.response_id JOIN surveys s ON s.id = r.survey_id WHERE s.source_ref = $1`,
      [String(ticketId)],
    );
    expect(followUp).toEqual({ status: 'open', external_id: String(tasks[0].id) });
    expect(zendesk.ticket(ticketId)!.tags).toContain('nps_detractor');
    expect(await db.query(`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`)).toEqual([{ status: 'delivered', n: expect.any(Number) }]);
  });
});
