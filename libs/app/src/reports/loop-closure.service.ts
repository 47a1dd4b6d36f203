import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { FollowUpRepository } from '@libs/db/src/repositories/follow-up.repository';
import { Category, FollowUpStatus, LoopClosure, loopClosure, roundFractionHalfAwayFromZero, Stream } from '@libs/nps/src';
import { ProgramService } from '../program/program.service';

const STREAMS: readonly Stream[] = ['relational', 'transactional'];
const CATEGORIES: readonly Category[] = ['detractor', 'passive', 'promoter'];
/** The segments of rules §3/§9, from the snapshot each response keeps. */
const SEGMENTS = { tier: 'tier_snapshot', arrBand: 'arr_band_snapshot', tenureBand: 'tenure_band_snapshot', role: 'role_snapshot' } as const;
type Segment = keyof typeof SEGMENTS;

export interface StreamLoopClosure {
  overall: LoopClosure;
  byCategory: Record<Category, LoopClosure>;
  bySegment: Record<Segment, Record<string, LoopClosure>>;
}

export interface LoopClosureReport {
  at: string;
  /** Follow-ups created in this window (inclusive dates), when given. */
  from: string | null;
  to: string | null;
  streams: Record<Stream, StreamLoopClosure>;
  /** rules §6: detractor loop closure below the threshold (70 % by default). */
  alerts: string[];
}

interface FollowUpRow {
  stream: Stream;
  category: Category;
  due_at: Date;
  completed_at: Date | null;
  tier_snapshot: string | null;
  arr_band_snapshot: string | null;
  tenure_band_snapshot: string | null;
  role_snapshot: string | null;
}

/** rules §6 loop closure, computed by libs/nps from the follow-ups and their responses' snapshots. */
@Injectable()
export class LoopClosureService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
  ) {}

  async report(from: string | null, to: string | null): Promise<LoopClosureReport> {
    const { rules } = await this.program.get();
    const now = this.clock.now();
    const rows: FollowUpRow[] = await this.db.query(
      `SELECT r.stream, r.category, f.due_at, CASE WHEN f.status = 'completed' THEN f.completed_at END AS completed_at,
              r.tier_snapshot, r.arr_band_snapshot, r.tenure_band_snapshot, r.role_snapshot
       FROM follow_ups f JOIN responses r ON r.id = f.response_id
       WHERE f.status NOT IN ('cancelled', 'skipped') AND f.due_at IS NOT NULL
         AND ($1::date IS NULL OR f.created_at >= $1::date) AND ($2::date IS NULL OR f.created_at < $2::date + 1)`,
      [from, to],
    );
    const asStatus = (r: FollowUpRow): FollowUpStatus => ({
      stream: r.stream,
      category: r.category,
      due: new Date(r.due_at),
      closedAt: r.completed_at ? new Date(r.completed_at) : null,
    });
    const streams = {} as Record<Stream, StreamLoopClosure>;
    const alerts: string[] = [];
    for (const stream of STREAMS) {
      const mine = rows.filter((r) => r.stream === stream);
      const statuses = mine.map(asStatus);
      const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, loopClosure(stream, statuses, now, { category: c }, rules)])) as Record<Category, LoopClosure>;
      const bySegment = {} as Record<Segment, Record<string, LoopClosure>>;
      for (const [segment, column] of Object.entries(SEGMENTS) as Array<[Segment, keyof FollowUpRow]>) {
        const values = [...new Set(mine.map((r) => (r[column] as string | null) ?? 'unknown'))].sort();
        bySegment[segment] = Object.fromEntries(
          values.map((v) => [v, loopClosure(stream, mine.filter((r) => ((r[column] as string | null) ?? 'unknown') === v).map(asStatus), now, {}, rules)]),
        );
      }
      streams[stream] = { overall: loopClosure(stream, statuses, now, {}, rules), byCategory, bySegment };
      const detractors = byCategory.detractor;
      if (detractors.belowAlertThreshold && detractors.rate !== null) {
        alerts.push(
          `${stream} detractor loop closure is ${roundFractionHalfAwayFromZero(BigInt(100 * detractors.closed), BigInt(detractors.closed + detractors.overdue))} % (${detractors.closed} closed, ${detractors.overdue} overdue), below ${rules.loopClosureAlertBelowPercent} %`,
        );
      }
    }
    return { at: now.toISOString(), from, to, streams, alerts };
  }

  /**
   * The vendor writes not delivered as planned: counts per connection, operation and status, and
   * the latest rows in `status` with the vendor's words, so an admin sees what is stuck or refused.
   * Beside them, the follow-ups never written at all (rules §6: an escalation without a leadership
   * owner), with their reason.
   */
  async writeBacks(status: 'pending' | 'failed'): Promise<Record<string, unknown>> {
    const summary = await this.db.query(
      `SELECT o.connection_id AS "connectionId", c.name AS "connection", o.operation, o.status, count(*)::int AS count
       FROM outbox o JOIN connections c ON c.id = o.connection_id
       GROUP BY o.connection_id, c.name, o.operation, o.status ORDER BY c.name, o.operation, o.status`,
    );
    const rows = await this.db.query(
      `SELECT o.id, o.connection_id AS "connectionId", o.operation, o.status, o.attempts, o.last_error AS "lastError",
              o.next_attempt_at AS "nextAttemptAt", o.created_at AS "createdAt", o.follow_up_id AS "followUpId", o.payload
       FROM outbox o WHERE o.status = ANY($1::text[]) ORDER BY o.id DESC LIMIT 100`,
      [status === 'pending' ? ['pending', 'delivering'] : ['failed']],
    );
    const followUps = new FollowUpRepository(this.db.manager);
    return { summary, [status]: rows, skippedSummary: await followUps.skippedSummary(), skipped: await followUps.latestSkipped(100) };
  }

  /** One response with its follow-ups: where the link in every task and note leads. */
  async response(id: string): Promise<Record<string, unknown>> {
    const [response] = await this.db.query(
      `SELECT r.id, r.stream, r.trigger, r.score, r.category, r.comment, r.themes, r.reference_opt_in AS "referenceOptIn",
              r.role_snapshot AS role, r.tier_snapshot AS tier, r.arr_band_snapshot AS "arrBand", r.tenure_band_snapshot AS "tenureBand",
              r.first_answered_at AS "answeredAt", r.settled_at AS "settledAt", s.email, s.context AS "surveyContext",
              a.name AS "accountName", a.external_id AS "accountExternalId", c.external_id AS "contactExternalId"
       FROM responses r JOIN surveys s ON s.id = r.survey_id
       LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN contacts c ON c.id = r.contact_id
       WHERE r.id = $1`,
      [id],
    );
    if (!response) throw new NotFoundException(`no response with id ${id}`);
    const followUps = await this.db.query(
      `SELECT id, kind, status, priority, subject, owner_kind AS "ownerKind", owner_external_id AS "ownerExternalId", due_at AS "dueAt",
              target_system AS "targetSystem", external_id AS "externalId", completed_at AS "completedAt", last_error AS "lastError",
              skip_reason AS "skipReason"
       FROM follow_ups WHERE response_id = $1 ORDER BY created_at, kind`,
      [id],
    );
    return { ...response, followUps };
  }
}
