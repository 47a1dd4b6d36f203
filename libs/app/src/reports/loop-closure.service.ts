import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { FollowUpsRepository, LoopClosureRow } from '@libs/db/src/repositories/follow-ups.repository';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { Category, FollowUpStatus, LoopClosure, loopClosure, roundFractionHalfAwayFromZero, Stream } from '@libs/nps/src';
import { ProgramService } from '../program/program.service';

const STREAMS: readonly Stream[] = ['relational', 'transactional'];
const CATEGORIES: readonly Category[] = ['detractor', 'passive', 'promoter'];
/** The segments of rules §3/§9, from the snapshot each response keeps. */
const SEGMENTS = { tier: 'tier_snapshot', arrBand: 'arr_band_snapshot', tenureBand: 'tenure_band_snapshot', role: 'role_snapshot' } as const;
type Segment = keyof typeof SEGMENTS;

interface StreamLoopClosure {
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

type FollowUpRow = LoopClosureRow;

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
    const rows = await new FollowUpsRepository(this.db.manager).forLoopClosure(from, to);
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
    const outbox = new OutboxRepository(this.db.manager);
    const summary = await outbox.summary();
    const rows = await outbox.latestIn(status === 'pending' ? ['pending', 'delivering'] : ['failed']);
    const followUps = new FollowUpsRepository(this.db.manager);
    return { summary, [status]: rows, skippedSummary: await followUps.skippedSummary(), skipped: await followUps.latestSkipped(100) };
  }

  /** One response with its follow-ups: where the link in every task and note leads. */
  async response(id: string): Promise<Record<string, unknown>> {
    const response = await new ResponsesRepository(this.db.manager).detail(id);
    if (!response) throw new NotFoundException(`no response with id ${id}`);
    const followUps = await new FollowUpsRepository(this.db.manager).ofResponse(id);
    return { ...response, followUps };
  }
}
