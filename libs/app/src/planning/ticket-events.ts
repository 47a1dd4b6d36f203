import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectorBuilder } from '../connections/connector-builder';
import { HelpdeskTicket, OWN_TICKET_TAG } from '@connectors/core/src';
import { CLOCK, Clock } from '@libs/config/src';
import { FollowUpsRepository } from '@libs/db/src/repositories/follow-ups.repository';
import { ClaimedDelivery, DeliveryOutcome, WebhookDeliveriesRepository } from '@libs/db/src/repositories/webhook-deliveries.repository';
import { SyncCursorsRepository } from '@libs/db/src/repositories/sync-cursors.repository';
import { inSavepoint } from '@libs/db/src/savepoint';
import { TicketOutcome, TicketSurveyPlanner } from './ticket-survey-planner';

/** Where reconciliation starts for a connection that has never read ticket changes. */
const FIRST_RECONCILE_LOOKBACK_HOURS = 72;
/** How long a worker holds the deliveries it took while it reads their tickets (a worker that died lets go then). */
const CLAIM_MS = 5 * 60_000;
/** How long deliveries wait after their helpdesk could not be read. */
const READ_RETRY_MS = 60_000;

type CurrentTickets = Map<string, HelpdeskTicket>;

/** A solved (or closed) ticket not of our own: its solve time is read from the helpdesk. */
const needsReading = (ticket: HelpdeskTicket) => (ticket.status === 'solved' || ticket.status === 'closed') && !ticket.tags.includes(OWN_TICKET_TAG);

/** The planner's answer as a delivery outcome: the survey planned, or why none was. */
const OUTCOMES: Record<TicketOutcome, DeliveryOutcome> = {
  scheduled: 'survey_scheduled',
  skipped: 'survey_skipped',
  rescheduled: 'survey_rescheduled',
  cancelled: 'ticket_reopened',
  exists: 'ticket_already_surveyed',
  ignored: 'ticket_not_solved',
};
/** Outcomes that leave a survey row for the ticket (a skipped one carries its own reason). */
const MADE_A_SURVEY = new Set<DeliveryOutcome>(['survey_scheduled', 'survey_skipped', 'survey_rescheduled']);

/**
 * Turns ticket events into surveys: recorded webhook deliveries (in arrival order, several
 * workers at once thanks to SKIP LOCKED claims) and the helpdesk's own change export, which
 * catches solves whose webhook never came. Both paths go through the same idempotent planner;
 * each delivery keeps its outcome (the survey planned, or why none was) and is logged when it
 * made none.
 */
@Injectable()
export class TicketEvents {
  private readonly logger = new Logger('TicketEvents');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly planner: TicketSurveyPlanner,
    private readonly builder: ConnectorBuilder,
  ) {}

  /**
   * Processes up to `limit` recorded deliveries, oldest first; returns how many it took (done or
   * put off). A solved ticket's webhook says when it was solved to the minute only, so the tickets
   * are read from the helpdesk first (one call per 100 of a connection): the survey goes out at
   * the solve time to the second + 24 h, and a ticket reopened or deleted meanwhile is seen. When
   * the helpdesk cannot be read, its deliveries wait and are taken again later.
   */
  async processDeliveries(limit = 200): Promise<number> {
    const now = this.clock.now();
    const claimed = await new WebhookDeliveriesRepository(this.db.manager).claim<HelpdeskTicket>(limit, now, new Date(now.getTime() + CLAIM_MS));
    if (!claimed.length) return 0;
    const current = await this.currentTickets(claimed);
    await this.db.transaction(async (tx) => {
      const deliveries = new WebhookDeliveriesRepository(tx);
      for (const row of claimed) {
        const read = current.get(row.connectionId);
        // Put off (currentTickets): taken again once the helpdesk can be read.
        if (read instanceof Error && needsReading(row.payload)) continue;
        try {
          const outcome = await inSavepoint(tx, 'delivery', async () => {
            const planned = await this.planDelivery(row, read instanceof Error ? undefined : read, tx);
            await deliveries.markProcessed(row.id, planned, now);
            return planned;
          });
          if (!MADE_A_SURVEY.has(outcome)) {
            this.logger.log({ deliveryId: row.id, connectionId: row.connectionId, ticketId: row.payload.externalId, reason: outcome }, 'ticket event made no survey');
          }
        } catch (error) {
          // One bad delivery must not hold up the rest (its savepoint undid it): keep it, with why, for a person to see.
          await deliveries.markFailed(row.id, (error as Error).message, now);
          this.logger.error({ deliveryId: row.id, connectionId: row.connectionId, error: (error as Error).message }, 'ticket event could not be planned');
        }
      }
    });
    return claimed.length;
  }

  /** One delivery → the planner, with the ticket as the helpdesk has it now when it was solved. */
  private async planDelivery(row: ClaimedDelivery<HelpdeskTicket>, read: CurrentTickets | undefined, tx: EntityManager): Promise<DeliveryOutcome> {
    if (row.payload.tags.includes(OWN_TICKET_TAG)) return 'own_ticket';
    let ticket = row.payload;
    if (needsReading(row.payload)) {
      if (read === undefined) return 'connection_deleted';
      const fresh = read.get(row.payload.externalId);
      if (!fresh) return 'ticket_not_found';
      ticket = fresh;
    }
    if (ticket.tags.includes(OWN_TICKET_TAG)) return 'own_ticket';
    const planned = await this.planner.handle(row.connectionId, ticket, tx);
    return OUTCOMES[planned];
  }

  /**
   * The solved tickets of these deliveries as each connection's helpdesk has them now, by
   * external id; undefined for a deleted connection; the Error for one that could not be read
   * (its deliveries are put off by a minute, with the error on the row).
   */
  private async currentTickets(claimed: Array<ClaimedDelivery<HelpdeskTicket>>): Promise<Map<string, CurrentTickets | undefined | Error>> {
    const byConnection = new Map<string, ClaimedDelivery<HelpdeskTicket>[]>();
    for (const row of claimed.filter((r) => needsReading(r.payload))) byConnection.set(row.connectionId, [...(byConnection.get(row.connectionId) ?? []), row]);
    const current = new Map<string, CurrentTickets | undefined | Error>();
    for (const [connectionId, rows] of byConnection) {
      try {
        const connection = await this.builder.loadWithCredentials(connectionId);
        if (!connection || connection.deletedAt) {
          current.set(connectionId, undefined);
          continue;
        }
        const tickets = await this.builder.buildHelpdesk(connection).connector.readTickets(rows.map((r) => r.payload.externalId));
        current.set(connectionId, new Map(tickets.map((t) => [t.externalId, t])));
      } catch (error) {
        const retryAt = new Date(this.clock.now().getTime() + READ_RETRY_MS);
        await new WebhookDeliveriesRepository(this.db.manager).defer(
          rows.map((r) => r.id),
          `the helpdesk could not be read, taken again after ${retryAt.toISOString()}: ${(error as Error).message}`,
          retryAt,
        );
        this.logger.warn({ connectionId, deliveries: rows.length, error: (error as Error).message }, 'ticket events wait: the helpdesk could not be read');
        current.set(connectionId, error instanceof Error ? error : new Error(String(error)));
      }
    }
    return current;
  }

  /** Reads the helpdesk's ticket changes since the stored cursor and plans what they show. */
  async reconcile(connectionId: string): Promise<{ tickets: number; planned: number }> {
    const connection = await this.builder.loadWithCredentials(connectionId);
    if (!connection || connection.deletedAt) return { tickets: 0, planned: 0 };
    const { connector } = this.builder.buildHelpdesk(connection);
    const cursor = await new SyncCursorsRepository(this.db.manager).ticketsCursor(connectionId);
    const startTime = new Date(this.clock.now().getTime() - FIRST_RECONCILE_LOOKBACK_HOURS * 3600_000);
    let tickets = 0;
    let planned = 0;
    for await (const page of connector.readTicketChanges({ cursor, startTime })) {
      await this.db.transaction(async (tx) => {
        for (const ticket of page.tickets) {
          const outcome = await this.planner.handle(connectionId, ticket, tx);
          if (outcome === 'scheduled' || outcome === 'skipped' || outcome === 'cancelled' || outcome === 'rescheduled') planned++;
        }
        // Our detractor task tickets: solved closes the loop, reopened opens it again.
        const ours = page.tickets.filter((t) => t.tags.includes(OWN_TICKET_TAG));
        await new FollowUpsRepository(tx).applyTaskClosures(
          connectionId,
          ours.map((t) => ({ externalId: t.externalId, completedAt: t.status === 'solved' || t.status === 'closed' ? (t.solvedAt ?? t.updatedAt) : null })),
        );
        await new SyncCursorsRepository(tx).saveTicketsCursor(connectionId, page.cursor);
      });
      tickets += page.tickets.length;
    }
    if (planned) this.logger.log({ connectionId, tickets, planned }, 'reconciliation planned surveys the webhooks missed');
    return { tickets, planned };
  }
}
