import { ASKS, buildFollowUpTaskText, followUpPlan, type FollowUpAccount, type SettledResponse } from './follow-up-policy';
import { InvalidScoreError } from './score';
import { programSettings } from './settings';
import { MixedStreamError } from './types';

const settledAt = new Date('2025-04-01T10:00:00Z');
const plusHours = (h: number) => new Date(settledAt.getTime() + h * 3_600_000);
const URL = 'https://nps.example.test/responses/r1';

const response = (overrides: Partial<SettledResponse> = {}): SettledResponse => ({
  id: 'r1',
  stream: 'relational',
  trigger: 'quarterly',
  score: 3,
  comment: 'Too slow',
  settledAt,
  respondent: { contactId: 'c1', name: 'Pat Lee', email: 'pat@acme.test', role: 'decision_maker' },
  ...overrides,
});

const smallAccount: FollowUpAccount = {
  id: 'acc1',
  name: 'Acme',
  tier: 'Growth',
  arr: '40000.00',
  renewalDate: '2025-06-15',
  ownerId: 'csm-1',
};
const bigAccount: FollowUpAccount = { ...smallAccount, arr: '100000.00' };

const plan = (r: SettledResponse, account: FollowUpAccount | null = smallAccount, settings = programSettings()) =>
  followUpPlan({ response: r, account, responseUrl: URL }, settings);

const withLeadership = programSettings({ leadershipOwnerId: 'vp-1' });

const summary = (r: SettledResponse, account?: FollowUpAccount, settings = withLeadership) =>
  plan(r, account, settings).tasks.map((t) => [t.kind, t.ownerRole, t.ownerId, t.due.toISOString(), t.priority]);

describe('relational follow-ups', () => {
  it('detractor → call within 48 h, high, to the account owner', () => {
    expect(summary(response({ score: 6 }))).toEqual([['detractor_call', 'account_owner', 'csm-1', plusHours(48).toISOString(), 'high']]);
  });

  it('passive → improvement ask within 7 d, normal', () => {
    expect(summary(response({ score: 7 }))).toEqual([['improvement_ask', 'account_owner', 'csm-1', plusHours(168).toISOString(), 'normal']]);
    expect(summary(response({ score: 8 }))[0][0]).toBe('improvement_ask');
  });

  it('promoter → advocacy ask within 7 d, low', () => {
    expect(summary(response({ score: 9 }))).toEqual([['advocacy_ask', 'account_owner', 'csm-1', plusHours(168).toISOString(), 'low']]);
  });

  it('pre_renewal with score < 7 → renewal check-in within 24 h, high (instead of the call)', () => {
    expect(summary(response({ trigger: 'pre_renewal', score: 6 }))).toEqual([['renewal_check_in', 'account_owner', 'csm-1', plusHours(24).toISOString(), 'high']]);
    expect(summary(response({ trigger: 'pre_renewal', score: 7 }))[0][0]).toBe('improvement_ask');
  });

  it('enterprise detractor → the call plus an escalation to the leadership owner', () => {
    const settings = programSettings({ leadershipOwnerId: 'vp-1' });
    const tasks = plan(response({ score: 2 }), bigAccount, settings).tasks;
    expect(tasks.map((t) => [t.kind, t.ownerRole, t.ownerId, t.due.toISOString(), t.priority])).toEqual([
      ['detractor_call', 'account_owner', 'csm-1', plusHours(48).toISOString(), 'high'],
      ['leadership_escalation', 'leadership_escalation_owner', 'vp-1', plusHours(48).toISOString(), 'high'],
    ]);
    expect(tasks[1].asks).toBe(ASKS.leadership_escalation);
  });

  it('enterprise by tier also escalates; enterprise passive does not', () => {
    expect(summary(response({ score: 0 }), { ...smallAccount, tier: 'Enterprise' }).map((t) => t[0])).toEqual(['detractor_call', 'leadership_escalation']);
    expect(summary(response({ score: 8 }), bigAccount).map((t) => t[0])).toEqual(['improvement_ask']);
    expect(summary(response({ score: 6 }), { ...bigAccount, arr: '99999.99' }).map((t) => t[0])).toEqual(['detractor_call']);
  });

  it('pre_renewal score 5 → exactly one follow-up: the +24 h check-in, no detractor call', () => {
    const result = plan(response({ trigger: 'pre_renewal', score: 5 }), smallAccount, withLeadership);
    expect(result.tasks.map((t) => [t.kind, t.due.toISOString(), t.priority])).toEqual([['renewal_check_in', plusHours(24).toISOString(), 'high']]);
    expect([result.tickets, result.skipped]).toEqual([[], []]);
  });

  it('enterprise pre_renewal detractor → check-in plus escalation', () => {
    expect(summary(response({ trigger: 'pre_renewal', score: 4 }), bigAccount).map((t) => t[0])).toEqual(['renewal_check_in', 'leadership_escalation']);
  });

  it('enterprise detractor without a leadership owner: the escalation is skipped no_leadership_owner, not created ownerless', () => {
    for (const leadershipOwnerId of [null, '', '  ']) {
      const result = plan(response({ score: 2 }), bigAccount, programSettings({ leadershipOwnerId }));
      expect(result.tasks.map((t) => t.kind)).toEqual(['detractor_call']);
      expect(result.skipped.map((t) => [t.kind, t.skipReason, t.ownerRole, t.due.toISOString()])).toEqual([
        ['leadership_escalation', 'no_leadership_owner', 'leadership_escalation_owner', plusHours(48).toISOString()],
      ]);
    }
    // The CSM's own task still goes out; a non-enterprise detractor has nothing to skip.
    expect(plan(response({ score: 2 }), smallAccount, programSettings()).skipped).toEqual([]);
  });

  it('tasks carry contact and account for WhoId/WhatId and the full text', () => {
    const [task] = plan(response()).tasks;
    expect(task.contactId).toBe('c1');
    expect(task.accountId).toBe('acc1');
    expect(task.asks).toBe(ASKS.detractor_call);
    expect(task.subject).toBe('NPS detractor (3/10): call Pat Lee at Acme');
    expect(task.description).toBe(
      [
        'NPS score: 3 (detractor)',
        'Comment: "Too slow"',
        'Respondent: Pat Lee <pat@acme.test>, decision maker',
        'Account: Acme',
        'ARR: 40,000.00',
        'Renewal date: 2025-06-15',
        `Response: ${URL}`,
        `Next step: ${ASKS.detractor_call}`,
      ].join('\n'),
    );
  });

  it('mentions the reference opt-in on the advocacy ask', () => {
    const [task] = plan(response({ score: 10, referenceOptIn: true })).tasks;
    expect(task.asks).toBe(`${ASKS.advocacy_ask} The respondent opted in to a reference call or case study.`);
  });

  it('uses configured dues and priorities', () => {
    const settings = programSettings({ followUp: { passive: { dueHours: 72, priority: 'high' } } });
    const [task] = plan(response({ score: 7 }), smallAccount, settings).tasks;
    expect([task.due.toISOString(), task.priority]).toEqual([plusHours(72).toISOString(), 'high']);
  });

  it('rejects a stream that does not match the trigger, a missing account, and a bad score', () => {
    expect(() => plan(response({ stream: 'transactional' }))).toThrow(MixedStreamError);
    expect(() => plan(response(), null)).toThrow('Response r1: a relational follow-up needs its account');
    expect(() => plan(response({ score: 11 }))).toThrow(InvalidScoreError);
  });
});

describe('transactional (ticket) follow-ups', () => {
  const ticketResponse = (score: number, comment: string | null = 'Slow answer') => response({ stream: 'transactional', trigger: 'ticket_solved', score, comment });
  const ticket = { id: '123', status: 'solved' as const, groupId: 'g-7' };

  it('detractor: score field, tag, private note and a task ticket due +48 h to the solving group', () => {
    const result = followUpPlan({ response: ticketResponse(4), account: smallAccount, responseUrl: URL, ticket });
    expect(result.tasks).toEqual([]);
    expect(result.tickets).toHaveLength(2);
    const [update, task] = result.tickets;
    expect(update).toEqual({
      kind: 'update_ticket',
      ticketId: '123',
      score: 4,
      tags: ['nps_detractor'],
      privateNote: buildFollowUpTaskText({ ...ticketResponse(4), account: smallAccount, responseUrl: URL }),
    });
    expect(task).toMatchObject({
      kind: 'create_task_ticket',
      type: 'task',
      relatedTicketId: '123',
      groupId: 'g-7',
      due: plusHours(48),
      priority: 'high',
      subject: 'NPS detractor (4/10) on ticket #123: follow up with Pat Lee',
    });
  });

  it('an enterprise ticket detractor gets the helpdesk task ticket, never a CRM task or escalation', () => {
    for (const settings of [withLeadership, programSettings()]) {
      const result = followUpPlan({ response: ticketResponse(1), account: bigAccount, responseUrl: URL, ticket }, settings);
      expect(result.tasks).toEqual([]);
      expect(result.skipped).toEqual([]);
      expect(result.tickets.map((a) => a.kind)).toEqual(['update_ticket', 'create_task_ticket']);
    }
  });

  it('passive and promoter: field, tag and note only', () => {
    for (const [score, tag] of [
      [7, 'nps_passive'],
      [10, 'nps_promoter'],
    ] as const) {
      const result = followUpPlan({ response: ticketResponse(score), account: null, responseUrl: URL, ticket });
      expect(result.tickets.map((a) => a.kind)).toEqual(['update_ticket']);
      expect(result.tickets[0]).toMatchObject({ score, tags: [tag] });
    }
  });

  it('a closed ticket gets a follow-up ticket carrying the note instead', () => {
    const result = followUpPlan({
      response: ticketResponse(2, null),
      account: null,
      responseUrl: URL,
      ticket: { ...ticket, status: 'closed' },
    });
    expect(result.tickets.map((a) => a.kind)).toEqual(['create_follow_up_ticket', 'create_task_ticket']);
    expect(result.tickets[0]).toMatchObject({ followUpOfTicketId: '123', score: 2, tags: ['nps_detractor'] });
    const note = (result.tickets[0] as { privateNote: string }).privateNote;
    expect(note).toContain('Comment: (no comment)');
    expect(note).toContain('Account: unknown');
    expect(note).toContain('ARR: not set');
  });

  it('needs the ticket; onboarding has no follow-ups yet', () => {
    expect(() => followUpPlan({ response: ticketResponse(3), account: null, responseUrl: URL })).toThrow('Response r1: a ticket_solved follow-up needs its ticket');
    expect(followUpPlan({ response: response({ stream: 'transactional', trigger: 'onboarding' }), account: null, responseUrl: URL })).toEqual({
      tasks: [],
      tickets: [],
      skipped: [],
    });
  });
});
