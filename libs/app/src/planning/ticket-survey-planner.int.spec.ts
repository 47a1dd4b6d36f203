import { DataSource } from 'typeorm';
import { HelpdeskTicket } from '@connectors/core/src';
import { CLOCK, Clock } from '@libs/config/src';
import { CrmFixtures } from '@test/support/crm-fixtures';
import { startTestService, TestService } from '@test/support/service';
import { TicketSurveyPlanner } from './ticket-survey-planner';

const SOLVED_AT = '2026-11-02T10:00:00.000Z';
const HOUR = 3600_000;

function ticket(overrides: Partial<HelpdeskTicket> = {}): HelpdeskTicket {
  return {
    externalId: '123',
    status: 'solved',
    subject: 'Export fails',
    requesterExternalId: 'zu-1',
    requesterEmail: 'Pat@Customer.example',
    requesterName: 'Pat',
    organizationExternalId: 'zo-1',
    organizationCrmAccountId: null,
    groupExternalId: 'g-7',
    assigneeExternalId: 'agent-3',
    solvedAt: SOLVED_AT,
    updatedAt: SOLVED_AT,
    tags: [],
    ...overrides,
  };
}

describe('ticket_solved surveys (rules §4)', () => {
  let service: TestService;
  let db: DataSource;
  let fx: CrmFixtures;
  let planner: TicketSurveyPlanner;
  let clock: Clock;
  let helpdesk: string;
  let crm: string;

  beforeAll(async () => {
    service = await startTestService({ api: false, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    fx = new CrmFixtures(db);
    planner = service.app.get(TicketSurveyPlanner);
    clock = service.app.get(CLOCK);
  });
  afterAll(() => service.close());

  beforeEach(async () => {
    await db.query(`TRUNCATE surveys, responses, opt_outs, contacts, accounts, connections CASCADE`);
    helpdesk = await fx.connection('helpdesk');
    crm = await fx.connection('crm');
    clock.now = () => new Date(new Date(SOLVED_AT).getTime() + 60_000);
  });

  it('schedules one survey at solved + 24 h with its deadline at + 72 h, attributed by email', async () => {
    const account = await fx.account(crm, { externalId: '001A' });
    const contact = await fx.contact(crm, account, { email: 'pat@customer.example' });
    expect(await planner.handle(helpdesk, ticket())).toBe('scheduled');
    const [survey] = await fx.surveys();
    expect(survey).toMatchObject({
      trigger: 'ticket_solved',
      stream: 'transactional',
      status: 'scheduled',
      contact_id: contact,
      account_id: account,
      source_ref: '123',
      email: 'Pat@Customer.example',
    });
    expect((survey.scheduled_at as Date).toISOString()).toBe('2026-11-03T10:00:00.000Z');
    expect((survey.send_deadline_at as Date).toISOString()).toBe('2026-11-05T10:00:00.000Z');
  });

  it('attributes to the account through the organization external id when the requester is not a CRM contact', async () => {
    const account = await fx.account(crm, { externalId: '001B' });
    await planner.handle(helpdesk, ticket({ requesterEmail: 'stranger@else.example', organizationCrmAccountId: '001b' }));
    const [survey] = await fx.surveys();
    expect(survey).toMatchObject({ contact_id: null, account_id: account, status: 'scheduled' });
  });

  it('never surveys a ticket nps-bridge made (tag nps_bridge): a solved follow-up or task ticket is ours', async () => {
    expect(await planner.handle(helpdesk, ticket({ tags: ['nps_bridge', 'nps_detractor'] }))).toBe('ignored');
    expect(await fx.surveys()).toEqual([]);
  });

  it('remembers that a surveyed ticket was closed, so its write-back goes on a follow-up ticket', async () => {
    await planner.handle(helpdesk, ticket());
    await planner.handle(helpdesk, ticket({ status: 'closed' }));
    const [row] = await db.query(`SELECT context->>'ticketStatus' AS status FROM surveys`);
    expect(row.status).toBe('closed');
  });

  it('makes one survey per ticket, ever, however often the solve arrives', async () => {
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => planner.handle(helpdesk, ticket())));
    expect(outcomes.filter((o) => o === 'scheduled')).toHaveLength(1);
    expect(await fx.surveys()).toHaveLength(1);
  });

  it('cancels the pending survey when the ticket is reopened, and reschedules it if solved again', async () => {
    await planner.handle(helpdesk, ticket());
    expect(await planner.handle(helpdesk, ticket({ status: 'open', solvedAt: null }))).toBe('cancelled');
    expect((await fx.surveys()).map((s) => [s.status, s.skip_reason])).toEqual([['cancelled', 'ticket_reopened']]);

    const again = '2026-11-04T09:00:00.000Z';
    clock.now = () => new Date(again);
    expect(await planner.handle(helpdesk, ticket({ solvedAt: again, updatedAt: again }))).toBe('rescheduled');
    const [survey] = await fx.surveys();
    expect(survey.status).toBe('scheduled');
    expect((survey.scheduled_at as Date).toISOString()).toBe('2026-11-05T09:00:00.000Z');
  });

  it('skips too_late when it learns of the solve after + 72 h', async () => {
    clock.now = () => new Date(new Date(SOLVED_AT).getTime() + 72 * HOUR + 1);
    expect(await planner.handle(helpdesk, ticket())).toBe('skipped');
    expect((await fx.surveys()).map((s) => [s.status, s.skip_reason])).toEqual([['skipped', 'too_late']]);
  });

  it('skips an opted-out requester and one surveyed within 30 days, with the reason', async () => {
    await db.query(`INSERT INTO opt_outs (email) VALUES ('pat@customer.example')`);
    await planner.handle(helpdesk, ticket());
    await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, email, status, scheduled_at, sent_at)
       VALUES ('relational', 'quarterly', 'q-1', 'lee@customer.example', 'sent', $1, $1)`,
      [new Date(new Date(SOLVED_AT).getTime() - 10 * 24 * HOUR)],
    );
    await planner.handle(helpdesk, ticket({ externalId: '124', requesterEmail: 'lee@customer.example' }));
    expect((await fx.surveys(`trigger = 'ticket_solved'`)).map((s) => [s.source_ref, s.status, s.skip_reason])).toEqual([
      ['123', 'skipped', 'opted_out'],
      ['124', 'skipped', 'suppressed'],
    ]);
  });

  it('surveys a requester whatever else is open for them (no score theater)', async () => {
    await planner.handle(helpdesk, ticket({ externalId: '200', status: 'open', solvedAt: null }));
    await planner.handle(helpdesk, ticket({ externalId: '201', status: 'pending', solvedAt: null }));
    expect(await planner.handle(helpdesk, ticket({ externalId: '202' }))).toBe('scheduled');
  });
  it('moves solved + 24 h into the next send window, and skips too_late when that is after solved + 72 h', async () => {
    const friday = '2026-11-06T10:00:00.000Z'; // + 24 h is Saturday: the next window opens Monday 09:00 (+ 71 h)
    clock.now = () => new Date(friday);
    expect(await planner.handle(helpdesk, ticket({ externalId: '300', solvedAt: friday, updatedAt: friday }))).toBe('scheduled');
    const thursday = '2026-11-05T12:00:00.000Z'; // + 24 h is Friday 12:00, after the window: Monday 09:00 is + 93 h
    clock.now = () => new Date(thursday);
    expect(await planner.handle(helpdesk, ticket({ externalId: '301', requesterEmail: 'lee@customer.example', solvedAt: thursday, updatedAt: thursday }))).toBe('skipped');
    expect((await fx.surveys()).map((s) => [s.source_ref, s.status, s.skip_reason, s.status === 'scheduled' ? (s.scheduled_at as Date).toISOString() : null])).toEqual([
      ['300', 'scheduled', null, '2026-11-09T09:00:00.000Z'],
      ['301', 'skipped', 'too_late', null],
    ]);
  });
});
