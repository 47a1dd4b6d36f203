import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConnectorBuilder } from '../../../api/src/connections/connector-builder';
import { HelpdeskTicket, OWN_TICKET_TAG } from '../../../../connectors/core/src';
import { CLOCK, Clock } from '../../../../libs/config/src';
import { applyTaskClosures } from '../loop/task-readback';
import { TicketSurveyPlanner } from './ticket-survey-planner';

/** Where reconciliation starts for a connection that has never read ticket changes. */
const FIRST_RECONCILE_LOOKBACK_HOURS = 72;

/**
 * Turns ticket events into surveys: recorded webhook deliveries (in arrival order, several
 * workers at once thanks to SKIP LOCKED) and the helpdesk's own change export, which catches
 * solves whose webhook never came. Both paths go through the same idempotent planner.
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

  /** Processes up to `limit` recorded deliveries; returns how many. */
  async processDeliveries(limit = 200): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows: Array<{ id: string; connection_id: string; payload: HelpdeskTicket }> = await tx.query(
        `SELECT id, connection_id, payload FROM webhook_deliveries
         WHERE processed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const row of rows) {
        try {
          await tx.query('SAVEPOINT delivery');
          await this.planner.handle(row.connection_id, row.payload, tx);
          await tx.query(`UPDATE webhook_deliveries SET processed_at = now(), error = NULL WHERE id = $1`, [row.id]);
          await tx.query('RELEASE SAVEPOINT delivery');
        } catch (error) {
          // One bad delivery must not hold up the rest: keep it, with why, for a person to see.
          await tx.query('ROLLBACK TO SAVEPOINT delivery');
          await tx.query(`UPDATE webhook_deliveries SET processed_at = now(), error = $2 WHERE id = $1`, [row.id, (error as Error).message]);
          this.logger.error({ deliveryId: row.id, error: (error as Error).message }, 'ticket event could not be planned');
        }
      }
      return rows.length;
    });
  }

  /** Reads the helpdesk's ticket changes since the stored cursor and plans what they show. */
  async reconcile(connectionId: string): Promise<{ tickets: number; planned: number }> {
    const connection = await this.builder.loadWithCredentials(connectionId);
    if (!connection || connection.deletedAt) return { tickets: 0, planned: 0 };
    const { connector } = this.builder.buildHelpdesk(connection);
    const [saved] = await this.db.query(`SELECT cursor FROM sync_cursors WHERE connection_id = $1 AND stream = 'tickets'`, [connectionId]);
    const startTime = new Date(this.clock.now().getTime() - FIRST_RECONCILE_LOOKBACK_HOURS * 3600_000);
    let tickets = 0;
    let planned = 0;
    for await (const page of connector.readTicketChanges({ cursor: saved?.cursor ?? null, startTime })) {
      await this.db.transaction(async (tx) => {
        for (const ticket of page.tickets) {
          const outcome = await this.planner.handle(connectionId, ticket, tx);
          if (outcome === 'scheduled' || outcome === 'skipped' || outcome === 'cancelled' || outcome === 'rescheduled') planned++;
        }
        // Our detractor task tickets: solved closes the loop, reopened opens it again.
        const ours = page.tickets.filter((t) => t.tags.includes(OWN_TICKET_TAG));
        await applyTaskClosures(
          tx,
          connectionId,
          ours.map((t) => ({ externalId: t.externalId, completedAt: t.status === 'solved' || t.status === 'closed' ? (t.solvedAt ?? t.updatedAt) : null })),
        );
        await tx.query(
          `INSERT INTO sync_cursors (connection_id, stream, cursor) VALUES ($1, 'tickets', $2)
           ON CONFLICT (connection_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = now()`,
          [connectionId, page.cursor],
        );
      });
      tickets += page.tickets.length;
    }
    if (planned) this.logger.log({ connectionId, tickets, planned }, 'reconciliation planned surveys the webhooks missed');
    return { tickets, planned };
  }
}
