import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { AccountHealthRepository } from '@libs/db/src/repositories/account-health.repository';
import { AuditLogRepository } from '@libs/db/src/repositories/audit-log.repository';
import { ContactsRepository } from '@libs/db/src/repositories/contacts.repository';
import { FollowUpsRepository } from '@libs/db/src/repositories/follow-ups.repository';
import { AttentionRow, OutboxRepository } from '@libs/db/src/repositories/outbox.repository';

export type { AttentionRow } from '@libs/db/src/repositories/outbox.repository';

/** Which writes a person is looking at: waiting to go out (pending, retrying) or refused by the vendor. */
export type WriteBackList = 'waiting' | 'refused';

export interface WriteBackPage {
  rows: AttentionRow[];
  /** `before` for the next (older) page; null on the last page. */
  older: string | null;
}

/** Rows per page of the console's lists. */
export const PAGE_SIZE = 50;

const NOT_ACTIONABLE = (id: string) => `no vendor write waiting or refused with id ${id} (it may have been delivered or dismissed meanwhile)`;

/**
 * The vendor writes a person acts on: those still waiting (with why the last attempt failed) and
 * those the vendor refused (with its words). A refused write can be sent again, after fixing its
 * cause in the vendor (a missing field, an inactive owner); any of them can be dismissed.
 */
@Injectable()
export class WriteBacksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `before` (an outbox id) is checked by the caller. */
  async page(list: WriteBackList, before: string | null, limit = PAGE_SIZE): Promise<WriteBackPage> {
    const rows = await new OutboxRepository(this.db.manager).attentionPage(list, before, limit + 1);
    return { rows: rows.slice(0, limit), older: rows.length > limit ? rows[limit - 1].id : null };
  }

  /** Counts per connection, operation and status (every status, delivered included). */
  summary() {
    return new OutboxRepository(this.db.manager).summary();
  }

  /**
   * Sends the write again at the next delivery: a refused one gets its follow-up back to pending;
   * a waiting one goes now instead of after its backoff. 404 when it is neither any more.
   */
  async sendAgain(id: string, actor: string): Promise<'pending' | 'merged'> {
    return this.db.transaction(async (tx) => {
      const sent = await new OutboxRepository(tx).sendAgain(id, this.clock.now());
      if (!sent) throw new NotFoundException(NOT_ACTIONABLE(id));
      if (sent.followUpId && sent.previous === 'failed') await new FollowUpsRepository(tx).reopenFailed(sent.followUpId);
      await new AuditLogRepository(tx).record({ actor, action: 'write_back.sent_again', entity: 'outbox', entityId: id, details: { from: sent.previous, to: sent.status } });
      return sent.status;
    });
  }

  /**
   * Gives up on a write: kept with the vendor's words, never sent. It ends as a refused one does:
   * a follow-up the vendor never made is failed (it still counts as not closed), and field values
   * are no longer taken as queued, so the next health refresh may queue them again.
   */
  async dismiss(id: string, actor: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const dismissed = await new OutboxRepository(tx).dismiss(id);
      if (!dismissed) throw new NotFoundException(NOT_ACTIONABLE(id));
      if (dismissed.followUpId && dismissed.previous === 'pending') await new FollowUpsRepository(tx).failUncreated(dismissed.followUpId, 'its write was dismissed in the console');
      if (dismissed.previous === 'pending' && dismissed.operation === 'crm.update_record' && dismissed.connectionId) {
        const { object, externalId, fields } = dismissed.payload as { object: 'account' | 'contact'; externalId: string; fields: Record<string, unknown> };
        if (object === 'account') await new AccountHealthRepository(tx).forgetQueuedFields(dismissed.connectionId, externalId, Object.keys(fields));
        else await new ContactsRepository(tx).forgetQueuedNpsFields(dismissed.connectionId, externalId, Object.keys(fields));
      }
      await new AuditLogRepository(tx).record({ actor, action: 'write_back.dismissed', entity: 'outbox', entityId: id, details: { from: dismissed.previous } });
    });
  }
}
