import { Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CrmTaskInput, NewTicket, TicketUpdate } from '@connectors/core/src';
import { FollowUpsRepository } from '@libs/db/src/repositories/follow-ups.repository';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { ResponsePermalinksRepository, responsePageUrl } from '@libs/db/src/repositories/response-permalinks.repository';
import { ResponsesRepository, SettledResponseRow } from '@libs/db/src/repositories/responses.repository';
import { followUpPlan, FollowUpTask, ProgramSettings, scoreCategory, SettledResponse, SkippedFollowUp, TicketStatus, TicketFollowUp } from '@libs/nps/src';
import { HealthRefresh } from './health-refresh';

/** A settled response with what its follow-ups are planned from. */
type SettledRow = SettledResponseRow;

/** Payloads of the outbox operations (the dispatcher reads the same shapes). */
export interface CreateTaskPayload {
  task: Omit<CrmTaskInput, 'due'> & { due: string };
}
export interface UpdateRecordPayload {
  object: 'account' | 'contact';
  externalId: string;
  fields: Record<string, string | number | boolean | null>;
}
export interface WriteBackPayload {
  ticketId: string;
  /** The ticket was closed when we planned: the note goes straight onto a follow-up ticket. */
  closed: boolean;
  update: TicketUpdate & { privateNote: string };
  followUpSubject: string;
  /** external_id of the follow-up ticket, should one be made: how a retry finds it. */
  externalId: string;
}
export interface CreateTicketPayload {
  ticket: Omit<NewTicket, 'dueAt'> & { dueAt?: string; externalId: string };
}

const OWNER_KIND = { account_owner: 'account_owner', leadership_escalation_owner: 'leadership' } as const;

/**
 * What a settled response sets in motion (rules §6–§8), written on the transaction that
 * settles it: follow-up rows, the outbox rows that will create them in the CRM or the helpdesk, the
 * ticket write-back, and the account's health and contact's fields that changed. Commit or
 * roll back together: a settled response never lacks its follow-ups.
 */
export class FollowUpPlanner {
  private readonly logger = new Logger('FollowUps');

  constructor(
    private readonly db: EntityManager,
    private readonly rules: ProgramSettings,
    private readonly publicUrl: string,
    private readonly now: Date,
  ) {}

  async planSettled(responseIds: readonly string[]): Promise<void> {
    if (responseIds.length === 0) return;
    const rows = await new ResponsesRepository(this.db).settledForFollowUps(responseIds);
    for (const row of rows) await this.planOne(row);
    const health = new HealthRefresh(this.db, this.rules, this.now);
    await health.accounts([...new Set(rows.filter((r) => r.stream === 'relational' && r.account_id).map((r) => r.account_id!))]);
    await health.contacts([...new Set(rows.filter((r) => r.contact_id).map((r) => r.contact_id!))]);
  }

  private async planOne(row: SettledRow): Promise<void> {
    const response: SettledResponse = {
      id: row.id,
      stream: row.stream,
      trigger: row.trigger,
      score: row.score,
      comment: row.comment,
      settledAt: new Date(row.settled_at),
      respondent: { contactId: row.contact_external_id, name: row.respondent_name, email: row.email, role: row.role_snapshot ?? 'other' },
      referenceOptIn: row.reference_opt_in,
    };
    const account =
      row.account_external_id && row.account_name
        ? { id: row.account_external_id, name: row.account_name, tier: row.tier, arr: row.arr, renewalDate: row.renewal_date, ownerId: row.owner_external_id }
        : null;
    const ticketId = row.context?.ticketId;
    if (row.stream === 'relational' && (!account || !row.crm_connection_id)) {
      this.logger.warn({ responseId: row.id }, 'relational response without a CRM account: no follow-up task');
      return;
    }
    if (row.trigger === 'ticket_solved' && (!ticketId || !row.source_connection_id)) {
      this.logger.warn({ responseId: row.id }, 'ticket response without its ticket: nothing to write back');
      return;
    }
    const plan = followUpPlan(
      {
        response,
        account,
        // The read-only page behind the task's link, issued on the settle's transaction (rules §6).
        responseUrl: responsePageUrl(this.publicUrl, await new ResponsePermalinksRepository(this.db).issue(row.id, 'follow_up_planner', this.now)),
        ticket: ticketId ? { id: ticketId, status: (row.context.ticketStatus as TicketStatus | undefined) ?? 'solved', groupId: row.context.groupId ?? null } : null,
      },
      this.rules,
    );
    for (const task of plan.tasks) await this.crmTask(row, task);
    for (const action of plan.tickets) await this.ticketFollowUp(row, action);
    for (const skipped of plan.skipped) await this.skippedFollowUp(row, skipped);
  }

  /** rules §6: recorded with its reason and listed beside refused writes; never sent to the CRM without an owner. */
  private async skippedFollowUp(row: SettledRow, task: SkippedFollowUp): Promise<void> {
    await new FollowUpsRepository(this.db).recordSkipped({
      responseId: row.id,
      kind: task.kind,
      ownerKind: OWNER_KIND[task.ownerRole],
      due: task.due,
      priority: task.priority,
      subject: task.subject,
      body: task.description,
      targetConnectionId: row.crm_connection_id!,
      targetSystem: row.crm_kind!,
      accountId: row.account_id,
      reason: task.skipReason,
    });
    this.logger.warn({ responseId: row.id, kind: task.kind, reason: task.skipReason }, 'follow-up skipped');
  }

  private async insertFollowUp(
    row: SettledRow,
    values: {
      kind: string;
      ownerKind: string;
      ownerExternalId: string | null;
      due: Date;
      priority: string;
      subject: string;
      body: string;
      connectionId: string;
      system: string;
    },
  ): Promise<string | null> {
    return new FollowUpsRepository(this.db).recordPlanned({ responseId: row.id, accountId: row.account_id, ...values });
  }

  private async crmTask(row: SettledRow, task: FollowUpTask): Promise<void> {
    const id = await this.insertFollowUp(row, {
      kind: task.kind,
      ownerKind: OWNER_KIND[task.ownerRole],
      ownerExternalId: task.ownerId,
      due: task.due,
      priority: task.priority,
      subject: task.subject,
      body: task.description,
      connectionId: row.crm_connection_id!,
      system: row.crm_kind!,
    });
    if (!id) return; // planned before: its outbox row exists
    const payload: CreateTaskPayload = {
      task: {
        key: id,
        accountExternalId: task.accountId,
        contactExternalId: task.contactId,
        ownerExternalId: task.ownerId,
        due: task.due.toISOString(),
        priority: task.priority,
        subject: task.subject,
        description: task.description,
      },
    };
    await new OutboxRepository(this.db).enqueue({ connectionId: row.crm_connection_id!, operation: 'crm.create_task', dedupeKey: `task:${id}`, payload, followUpId: id }, this.now);
  }

  private async ticketFollowUp(row: SettledRow, action: TicketFollowUp): Promise<void> {
    const connectionId = row.source_connection_id!;
    const outbox = new OutboxRepository(this.db);
    if (action.kind === 'create_task_ticket') {
      const id = await this.insertFollowUp(row, {
        kind: 'detractor_task_ticket',
        ownerKind: 'helpdesk_group',
        ownerExternalId: action.groupId,
        due: action.due,
        priority: action.priority,
        subject: action.subject,
        body: action.description,
        connectionId,
        system: row.helpdesk_kind!,
      });
      if (!id) return;
      const payload: CreateTicketPayload = {
        ticket: {
          subject: action.subject,
          body: action.description,
          type: 'task',
          dueAt: action.due.toISOString(),
          ...(action.groupId ? { groupId: action.groupId } : {}),
          tags: [`nps_${scoreCategory(row.score)}`],
          externalId: `nps-bridge:follow-up:${id}`,
        },
      };
      await outbox.enqueue({ connectionId, operation: 'helpdesk.create_ticket', dedupeKey: `ticket:${id}`, payload, followUpId: id }, this.now);
      return;
    }
    const ticketId = action.kind === 'update_ticket' ? action.ticketId : action.followUpOfTicketId;
    const payload: WriteBackPayload = {
      ticketId,
      closed: action.kind === 'create_follow_up_ticket',
      update: {
        // The connector writes it to the connection's score field, if setup made one.
        score: action.score,
        tags: [...action.tags],
        privateNote: action.privateNote,
      },
      followUpSubject: `NPS ${scoreCategory(action.score)} (${action.score}/10) on closed ticket #${ticketId}`,
      externalId: `nps-bridge:write-back:${row.id}`,
    };
    await outbox.enqueue({ connectionId, operation: 'helpdesk.write_back', dedupeKey: `write-back:${row.id}`, payload }, this.now);
  }
}
