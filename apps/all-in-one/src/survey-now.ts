import { ConflictException, GatewayTimeoutException, Inject, Injectable, Logger, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { setTimeout as wait } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { ContactsRepository } from '@libs/db/src/repositories/contacts.repository';
import { OptOutsRepository } from '@libs/db/src/repositories/opt-outs.repository';
import { SurveysRepository } from '@libs/db/src/repositories/surveys.repository';
import { isSuppressed, ProgramSettings } from '@libs/nps/src';
import { ProgramService } from '@libs/app/src/program/program.service';
import { SurveyDispatcher } from '@libs/app/src/delivery/survey-dispatcher';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { TicketSurveyPlanner } from '@libs/app/src/planning/ticket-survey-planner';
import { sandboxConnections } from './demo-connections';
import { recordPath } from '@apps/sandbox/src/record-pages';
import { SANDBOX_STATE, SandboxState } from '@apps/sandbox/src/sandbox-state';
import { ServedSandbox } from '@apps/sandbox/src/sandboxes';
import { SandboxDemoTicket } from '@apps/sandbox/src/kit/sandbox-demo';

export interface SurveyNowResult {
  ticket: { id: string; subject: string; requesterEmail: string; created: boolean; page: string };
  survey: { id: string; status: string; skipReason: string | null; lastError: string | null };
  /** The caught email, when the mail catcher runs here and the survey was sent. */
  mail: { id: string; page: string } | null;
  /** What happened and what to do next, in a sentence or two. */
  message: string;
}

const NEW_TICKET_SUBJECT = 'The monthly usage export stopped arriving';
/** How long the solve may take to reach the planner when a worker holds its delivery (its transaction commits in milliseconds). */
const PLANNED_WITHIN_MS = 5000;
/** Dispatch batches (50 each) survey-now runs at most before this survey's turn: what the worker's ticks would send anyway. */
const MAX_BATCHES = 20;

/**
 * The demo's "solve a ticket and send its survey now" (all-in-one only, clearly a demo
 * affordance): solves a sandbox ticket whose requester is a CRM contact the rules would survey,
 * lets the real webhook and planner make its survey, makes that one survey due now instead of
 * solved + 24 h, and runs the real dispatcher, which still applies the program's rules (live,
 * send window, daily cap, suppression). Nothing else of the product's flow is bypassed.
 */
@Injectable()
export class SurveyNow {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(SANDBOX_STATE) private readonly state: SandboxState,
    private readonly modules: ModuleRef,
  ) {}

  private get<T>(type: Type<T> | symbol): T {
    return this.modules.get(type, { strict: false });
  }

  async run(): Promise<SurveyNowResult> {
    const served = this.state.sandboxes?.all() ?? [];
    const helpdesk = served.find((s) => s.kit.role === 'helpdesk' && s.sandbox.demo);
    const demo = helpdesk?.sandbox.demo;
    if (!helpdesk || !demo) throw new ConflictException('no helpdesk sandbox runs in this process');
    const [connection] = await sandboxConnections((type) => this.get(type), [helpdesk]);
    if (!connection) throw new ConflictException(`no connection points at the ${helpdesk.name} sandbox (${helpdesk.baseUrl}): start with DEMO on, or connect it`);
    const program = await this.get(ProgramService).get();
    if (!program.live) {
      const missing = program.missing.length ? ` Still to set: ${program.missing.join(', ')}.` : '';
      throw new ConflictException(`The program is not live, so no survey is sent.${missing} Set it with PUT /api/program ("live": true).`);
    }
    const ticket = await this.chooseTicket(served, demo.unsolvedTickets(), program.rules);
    if (ticket.created) ticket.id = demo.createTicket({ requesterEmail: ticket.requesterEmail, organizationExternalId: ticket.accountExternalId, subject: ticket.subject });
    await demo.solveTicket(ticket.id);
    const surveyId = await this.plannedSurvey(connection.id, ticket.id);
    const surveys = new SurveysRepository(this.get(DataSource).manager);
    const startedAt = new Date();
    let outcome = await surveys.sendOutcome(surveyId);
    if (await surveys.makeDueNow(surveyId, this.get<Clock>(CLOCK).now())) {
      // First in line; dispatched again only if a retry put it back (until it moves or nothing does).
      const dispatcher = this.get(SurveyDispatcher);
      for (let batch = 0; batch < MAX_BATCHES && outcome.status === 'scheduled'; batch++) {
        const { sent, skipped, failed } = await dispatcher.dispatchDue();
        outcome = await surveys.sendOutcome(surveyId);
        if (sent + skipped + failed === 0) break;
      }
    }
    const survey = { id: surveyId, ...outcome };
    const mail =
      survey.status === 'sent' && this.state.mail
        ? await this.state.mail.waitFor((m) => m.receivedAt >= startedAt && m.envelopeTo.some((to) => to.toLowerCase() === ticket.requesterEmail.toLowerCase()))
        : undefined;
    this.logger.log({ ticketId: ticket.id, surveyId, status: survey.status, skipReason: survey.skipReason }, 'demo: ticket solved, its survey due now');
    return {
      ticket: { id: ticket.id, subject: ticket.subject, requesterEmail: ticket.requesterEmail, created: ticket.created, page: recordPath(helpdesk.kit.kind, 'tickets', ticket.id) },
      survey,
      mail: mail ? { id: mail.id, page: `/sandbox/mail/${encodeURIComponent(mail.id)}` } : null,
      message: explain(survey, program.rules, mail !== undefined),
    };
  }

  /**
   * An unsolved ticket whose requester is a CRM contact the rules would survey now (not opted
   * out, not surveyed within the suppression window); else a new ticket from such a contact.
   */
  private async chooseTicket(
    served: ServedSandbox[],
    unsolved: SandboxDemoTicket[],
    rules: ProgramSettings,
  ): Promise<{ id: string; subject: string; requesterEmail: string; accountExternalId?: string; created: boolean }> {
    const db = this.get(DataSource).manager;
    const surveys = new SurveysRepository(db);
    const optOuts = new OptOutsRepository(db);
    const now = this.get<Clock>(CLOCK).now();
    const surveyable = async (email: string) => !(await optOuts.isOptedOut(email, null)) && !isSuppressed(now, await surveys.surveysOf(email), rules);
    const withEmail = unsolved.filter((t): t is SandboxDemoTicket & { requesterEmail: string } => t.requesterEmail !== null);
    const known = await new ContactsRepository(db).liveEmailsAmong(withEmail.map((t) => t.requesterEmail));
    for (const ticket of withEmail) {
      if (known.has(ticket.requesterEmail.toLowerCase()) && (await surveyable(ticket.requesterEmail))) return { ...ticket, created: false };
    }
    for (const crm of served.filter((s) => s.kit.role === 'crm')) {
      const people = crm.sandbox.people?.(500) ?? [];
      const synced = await new ContactsRepository(db).liveEmailsAmong(people.map((p) => p.email));
      for (const person of people) {
        if (!synced.has(person.email.toLowerCase()) || !(await surveyable(person.email))) continue;
        return { id: '', subject: NEW_TICKET_SUBJECT, requesterEmail: person.email, accountExternalId: person.accountExternalId, created: true };
      }
    }
    throw new ConflictException(
      `No CRM contact is left to survey: each was surveyed within the last ${rules.suppressionWindowDays} days (the suppression rule), or the CRM sync has not finished yet.`,
    );
  }

  /** The survey the solve planned, once the webhook's delivery (or, failing that, reconciliation) went through the planner. */
  private async plannedSurvey(connectionId: string, ticketId: string): Promise<string> {
    const events = this.get(TicketEvents);
    const surveys = new SurveysRepository(this.get(DataSource).manager);
    const key = TicketSurveyPlanner.key(connectionId, ticketId);
    const deadline = Date.now() + PLANNED_WITHIN_MS;
    for (let attempt = 0; ; attempt++) {
      await events.processDeliveries();
      const found = await surveys.findByKey(key);
      if (found) return found.id;
      // A webhook that never arrived: the helpdesk's change export has the solve too.
      if (attempt === 0) await events.reconcile(connectionId);
      if (Date.now() > deadline) break;
      await wait(100); // a worker holds the delivery in its own transaction: it commits shortly
    }
    throw new GatewayTimeoutException(`Ticket ${ticketId} was solved, but no survey was planned within ${PLANNED_WITHIN_MS / 1000} s: see the service log.`);
  }
}

function explain(survey: SurveyNowResult['survey'], rules: ProgramSettings, caught: boolean): string {
  if (survey.status === 'sent') {
    return caught
      ? 'The survey email was sent and caught: open it, click a score, answer, then see the result on the CRM and ticket pages.'
      : 'The survey email was sent through SMTP_URL.';
  }
  if (survey.status === 'skipped') return `The rules skipped this survey (${survey.skipReason}).`;
  if (survey.lastError) return `Sending failed and will be retried: ${survey.lastError}`;
  const days = rules.sendDays.join(', ');
  return (
    `The survey is due now, but the program's send window (${days}, ${rules.sendWindowStart}–${rules.sendWindowEnd} ${rules.timeZone}) is closed or today's cap is reached, ` +
    'so it goes out when the window opens. To see it at once in the demo, widen the window: ' +
    'PUT /api/program with {"rules":{"sendDays":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"],"sendWindowStart":"00:00","sendWindowEnd":"24:00"}}; this survey, due now, then goes out at the worker\'s next dispatch.'
  );
}
