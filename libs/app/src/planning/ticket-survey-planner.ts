import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { HelpdeskTicket, OWN_TICKET_TAG } from '@connectors/core/src';
import { CLOCK, Clock } from '@libs/config/src';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import { ContactsRepository } from '@libs/db/src/repositories/contacts.repository';
import { OptOutsRepository } from '@libs/db/src/repositories/opt-outs.repository';
import { SurveysRepository } from '@libs/db/src/repositories/surveys.repository';
import { attributeTicketRequester, decideTicketSurvey, earliestSendTime, sendWindowOf, ticketSurveyDeadline, ticketSurveySendTime } from '@libs/nps/src';
import { ProgramService } from '../program/program.service';

export type TicketOutcome = 'scheduled' | 'skipped' | 'cancelled' | 'rescheduled' | 'exists' | 'ignored';

/**
 * ticket_solved surveys (rules §4): one per ticket, ever, sent at solved + 24 h, moved
 * to the next send window when that falls outside it (skipped `too_late` past solved + 72 h); a
 * reopen before sending cancels it; the requester is attributed to a CRM contact by email and
 * to an account through the contact or the organization's external id.
 */
@Injectable()
export class TicketSurveyPlanner {
  private readonly logger = new Logger('TicketSurveys');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
  ) {}

  static key(connectionId: string, ticketId: string): string {
    return `ticket_solved:${connectionId}:${ticketId}`;
  }

  async handle(connectionId: string, ticket: HelpdeskTicket, manager?: EntityManager): Promise<TicketOutcome> {
    const run = (db: EntityManager) => this.handleIn(db, connectionId, ticket);
    return manager ? run(manager) : this.db.transaction(run);
  }

  private async handleIn(db: EntityManager, connectionId: string, ticket: HelpdeskTicket): Promise<TicketOutcome> {
    // Tickets nps-bridge made (follow-ups, detractor tasks) are ours, not a customer's support.
    if (ticket.tags.includes(OWN_TICKET_TAG)) return 'ignored';
    const surveys = new SurveysRepository(db);
    const key = TicketSurveyPlanner.key(connectionId, ticket.externalId);
    const solved = ticket.status === 'solved' || ticket.status === 'closed';
    if (ticket.status === 'closed') {
      // A closed ticket cannot be updated: the write-back will go on a follow-up ticket instead.
      await surveys.markTicketClosed(key);
    }
    if (!solved) {
      return (await surveys.cancelPending({ key }, 'ticket_reopened')) > 0 ? 'cancelled' : 'ignored';
    }
    const email = ticket.requesterEmail?.trim() || null;
    if (email) await surveys.lockRecipient(email);
    const existing = await surveys.findByKey(key);
    if (existing && !(existing.status === 'cancelled' && existing.skipReason === 'ticket_reopened')) return 'exists';

    const { rules } = await this.program.get();
    const now = this.clock.now();
    const solvedAt = new Date(ticket.solvedAt ?? ticket.updatedAt);
    const attribution = await this.attribute(db, email, ticket.organizationCrmAccountId);
    // The rules decide at the moment it would go out: solved + 24 h (or now, if later), inside the window.
    const earliest = new Date(Math.max(now.getTime(), ticketSurveySendTime(solvedAt, rules).getTime()));
    const decision = decideTicketSurvey(
      {
        ticket: { id: ticket.externalId, status: ticket.status, solvedAt },
        requester: { email, optedOut: email ? await new OptOutsRepository(db).isOptedOut(email, attribution.contactId) : false },
        ticketAlreadySurveyed: false,
        contactSurveys: email ? await surveys.surveysOf(email) : [],
        now: earliestSendTime(earliest, sendWindowOf(rules)),
      },
      rules,
    );
    const deadline = ticketSurveyDeadline(solvedAt, rules);
    const status = decision.send ? 'scheduled' : 'skipped';
    const reason = decision.send ? null : decision.reason;
    const scheduledAt = decision.send ? decision.sendAt : now;
    if (existing) {
      await surveys.reschedule(existing.id, scheduledAt, deadline, status, reason);
      return 'rescheduled';
    }
    const id = await surveys.insert({
      stream: 'transactional',
      trigger: 'ticket_solved',
      idempotencyKey: key,
      sourceConnectionId: connectionId,
      sourceRef: ticket.externalId,
      contactId: attribution.contactId,
      accountId: attribution.accountId,
      email: email ?? '',
      recipientName: ticket.requesterName,
      context: {
        ticketId: ticket.externalId,
        ticketSubject: ticket.subject,
        requesterId: ticket.requesterExternalId,
        groupId: ticket.groupExternalId,
        assigneeId: ticket.assigneeExternalId,
        organizationId: ticket.organizationExternalId,
        solvedAt: solvedAt.toISOString(),
      },
      status,
      skipReason: reason,
      scheduledAt,
      sendDeadlineAt: deadline,
    });
    if (id) this.logger.log({ surveyId: id, ticketId: ticket.externalId, status, reason }, 'ticket survey planned');
    return id ? status : 'exists';
  }

  private async attribute(db: EntityManager, email: string | null, organizationCrmAccountId: string | null) {
    const contacts = email ? await new ContactsRepository(db).liveByEmail(email) : [];
    const attribution = attributeTicketRequester({
      requesterEmail: email,
      organizationExternalId: organizationCrmAccountId,
      contacts: contacts.map((c) => ({ id: c.id, email: c.email, accountId: c.account_id })),
    });
    if (attribution.accountVia !== 'organization') return attribution;
    // The organization names the CRM account by its CRM id (Zendesk external_id is case-insensitive).
    return { ...attribution, accountId: await new AccountsRepository(db).liveIdByCrmId(attribution.accountId) };
  }
}
