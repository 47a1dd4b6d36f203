import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { FollowUpsRepository } from '@libs/db/src/repositories/follow-ups.repository';
import { LoopClosureCountRow, LoopClosureRollupsRepository } from '@libs/db/src/repositories/loop-closure-rollups.repository';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { Category, LoopClosure, loopClosureOfCounts, roundFractionHalfAwayFromZero, Stream } from '@libs/nps/src';
import { ProgramService } from '../program/program.service';

const STREAMS: readonly Stream[] = ['relational', 'transactional'];
const CATEGORIES: readonly Category[] = ['detractor', 'passive', 'promoter'];
/** The segments of rules §3/§9 (the snapshot each response keeps, copied to its follow-ups), by the name the rollups give them. */
const SEGMENTS = { tier: 'tier', arrBand: 'arr_band', tenureBand: 'tenure_band', role: 'role' } as const;
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
    const day = (date: string) => new Date(`${date}T00:00:00.000Z`);
    const until = to ? new Date(day(to).getTime() + 86_400_000) : null;
    const rows = await new LoopClosureRollupsRepository(this.db.manager).countsAt(now, from ? day(from) : null, until);
    const none = { closed: 0, slaMet: 0, overdue: 0, open: 0 };
    const sum = (of: LoopClosureCountRow[]) =>
      of.reduce((t, r) => ({ closed: t.closed + r.closed, slaMet: t.slaMet + r.sla_met, overdue: t.overdue + r.overdue, open: t.open + r.open }), none);
    const streams = {} as Record<Stream, StreamLoopClosure>;
    const alerts: string[] = [];
    for (const stream of STREAMS) {
      const mine = rows.filter((r) => r.stream === stream);
      const all = mine.filter((r) => r.segment === 'all');
      const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, loopClosureOfCounts(stream, sum(all.filter((r) => r.category === c)), rules)])) as Record<
        Category,
        LoopClosure
      >;
      const bySegment = {} as Record<Segment, Record<string, LoopClosure>>;
      for (const [segment, marginal] of Object.entries(SEGMENTS) as Array<[Segment, LoopClosureCountRow['segment']]>) {
        const own = mine.filter((r) => r.segment === marginal);
        const values = [...new Set(own.map((r) => r.value))].sort();
        bySegment[segment] = Object.fromEntries(values.map((v) => [v, loopClosureOfCounts(stream, sum(own.filter((r) => r.value === v)), rules)]));
      }
      streams[stream] = { overall: loopClosureOfCounts(stream, sum(all), rules), byCategory, bySegment };
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
