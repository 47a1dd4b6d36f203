import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CategoryCountRow, ReportResponsesRepository } from '@libs/db/src/repositories/report-responses.repository';
import { ReportSurveysRepository } from '@libs/db/src/repositories/report-surveys.repository';
import { CategoryCounts, nextPeriod, NpsSummary, PeriodKey, periodOf, SignificanceResult, significanceOfChange, Stream, summariseCounts, TrendGranularity } from '@libs/nps/src';
import { ProgramService } from '../program/program.service';
import { ReportQuery, responseFilter, surveyFilter } from './report-filter';

export const STREAMS: readonly Stream[] = ['relational', 'transactional'];
export const SEGMENTS = ['tier', 'arrBand', 'tenureBand', 'role', 'quadrant'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** Both streams, each computed on its own rows only (rules §2). */
export type PerStream<T> = Record<Stream, T>;

export interface TrendPoint {
  period: string;
  summary: NpsSummary;
  /** Against the period before (rules §1); null for the first period or when either has n = 0. */
  change: SignificanceResult | null;
}

export interface TrendReport {
  granularity: TrendGranularity;
  streams: PerStream<TrendPoint[]>;
}

export interface SegmentReport {
  streams: PerStream<Record<Segment, Record<string, NpsSummary>>>;
}

export interface ResponseRateLine {
  sent: number;
  responses: number;
  /** responses / sent; null when nothing was sent. */
  rate: number | null;
  skipsByReason: Record<string, number>;
}

export interface ThemeLine {
  theme: string;
  summary: NpsSummary;
  /** Detractor comments with this theme in the quarter reached the program's threshold (rules §9). */
  emerging: boolean;
}

export interface ThemeReport {
  emergingAtDetractorComments: number;
  streams: PerStream<Array<{ quarter: string; themes: ThemeLine[] }>>;
}

/**
 * Every period from `first` to `last` (no gaps: one without responses has n = 0 and breaks the
 * change chain), each with its summary and the rules §1 significance of the change from the one before.
 */
export function trendPoints(stream: Stream, counts: ReadonlyMap<string, CategoryCounts>, granularity: TrendGranularity, first: PeriodKey, last: PeriodKey): TrendPoint[] {
  const points: TrendPoint[] = [];
  let previous: NpsSummary | null = null;
  for (let key = first; key <= last; key = nextPeriod(key, granularity)) {
    const summary = summariseCounts(stream, counts.get(key) ?? { promoters: 0, passives: 0, detractors: 0 });
    points.push({ period: key, summary, change: previous ? significanceOfChange(previous, summary) : null });
    previous = summary;
  }
  return points;
}

export const countsOf = (row: CategoryCountRow) => ({ promoters: row.promoters, passives: row.passives, detractors: row.detractors });

/** rules §9 reports over responses and surveys: trend, segments, response rate, themes. */
@Injectable()
export class NpsReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly program: ProgramService,
  ) {}

  /**
   * NPS per month or quarter, every period from the range's first to its last (else the first and
   * last with responses), a period without responses shown with n = 0.
   */
  async trend(query: ReportQuery, granularity: TrendGranularity): Promise<TrendReport> {
    const filter = responseFilter(query);
    const rows = await new ReportResponsesRepository(this.db.manager).countsByPeriod(filter, granularity);
    const streams = {} as PerStream<TrendPoint[]>;
    for (const stream of STREAMS) {
      const mine = new Map(rows.filter((r) => r.stream === stream).map((r) => [r.period, countsOf(r)]));
      const keys = [...mine.keys()].sort();
      const first = filter.from ? periodOf(filter.from, granularity) : (keys[0] as PeriodKey | undefined);
      const last = filter.until ? periodOf(new Date(filter.until.getTime() - 1), granularity) : (keys[keys.length - 1] as PeriodKey | undefined);
      streams[stream] = first === undefined || last === undefined ? [] : trendPoints(stream, mine, granularity, first, last);
    }
    return { granularity, streams };
  }

  /** NPS per value of each segment (the snapshot stored with the response; missing = "unknown"). */
  async bySegment(query: ReportQuery): Promise<SegmentReport> {
    const rows = await new ReportResponsesRepository(this.db.manager).countsBySegment(responseFilter(query));
    const streams = {} as SegmentReport['streams'];
    for (const stream of STREAMS) {
      const segments = Object.fromEntries(SEGMENTS.map((s) => [s, {}])) as Record<Segment, Record<string, NpsSummary>>;
      for (const row of rows.filter((r) => r.stream === stream)) segments[row.segment][row.value] = summariseCounts(stream, countsOf(row));
      streams[stream] = segments;
    }
    return { streams };
  }

  /**
   * Response rate = responses to surveys sent in the range / surveys sent in the range (rules §9);
   * skips beside it by reason, dated by when the survey was planned for.
   */
  async responseRate(query: ReportQuery): Promise<{ streams: PerStream<ResponseRateLine> }> {
    const surveys = new ReportSurveysRepository(this.db.manager);
    const filter = surveyFilter(query);
    const [sent, skips] = await Promise.all([surveys.sentAndAnswered(filter), surveys.skipsByReason(filter)]);
    const streams = {} as PerStream<ResponseRateLine>;
    for (const stream of STREAMS) {
      const row = sent.find((r) => r.stream === stream);
      const count = row?.sent ?? 0;
      const responses = row?.answered ?? 0;
      const skipsByReason = Object.fromEntries(skips.filter((s) => s.stream === stream).map((s) => [s.reason, s.count]));
      streams[stream] = { sent: count, responses, rate: count === 0 ? null : responses / count, skipsByReason };
    }
    return { streams };
  }

  /** Per UTC quarter, the responses carrying each theme with their counts by category; emerging flagged. */
  async themes(query: ReportQuery): Promise<ThemeReport> {
    const { rules } = await this.program.get();
    const threshold = rules.emergingThemeMinDetractorComments;
    const rows = await new ReportResponsesRepository(this.db.manager).themeCountsByQuarter(responseFilter(query));
    const streams = {} as ThemeReport['streams'];
    for (const stream of STREAMS) {
      const quarters = new Map<string, ThemeLine[]>();
      for (const row of rows.filter((r) => r.stream === stream)) {
        const line = { theme: row.theme, summary: summariseCounts(stream, countsOf(row)), emerging: row.detractors >= threshold };
        quarters.set(row.quarter, [...(quarters.get(row.quarter) ?? []), line]);
      }
      streams[stream] = [...quarters].map(([quarter, themes]) => ({ quarter, themes }));
    }
    return { emergingAtDetractorComments: threshold, streams };
  }
}
