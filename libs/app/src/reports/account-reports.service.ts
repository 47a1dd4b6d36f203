import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { LatestRelationalAnswersRepository } from '@libs/db/src/repositories/latest-relational-answers.repository';
import { LatestAnswerRow, ReportResponsesRepository } from '@libs/db/src/repositories/report-responses.repository';
import {
  accountNps,
  accountNpsDistribution,
  AccountResponse,
  ArrBand,
  arrWeightedNpsOfGroups,
  ArrWeightGroup,
  countCategories,
  decimalFromCents,
  displayNpsGap,
  HealthQuadrant,
  npsByArrOfCounts,
  NpsSummary,
  revenueCoverageOfSums,
  Role,
  roleGap,
  summariseCounts,
  WeightedNps,
} from '@libs/nps/src';
import { groupBy } from '../group-by';
import { ProgramService } from '../program/program.service';
import { countsOf, PerStream, STREAMS } from './nps-reports.service';
import { asOfMoment, ReportQuery, responseFilter } from './report-filter';

/** Fixed by rules §9 until they become program settings (libs/nps uses the same defaults). */
const COVERAGE_WINDOW_DAYS = 90;

/** NPS × ARR of one stream: per ARR band (as stored with the response) and per health quadrant with its active accounts and their ARR. */
export interface NpsByArrStream {
  byBand: Array<{ arrBand: ArrBand | 'unknown'; summary: NpsSummary }>;
  byQuadrant: Array<{ quadrant: HealthQuadrant; accounts: number; arr: string; summary: NpsSummary }>;
}

/** Which accounts a report lists: `limit` of them from `offset`, by account id (the summary always covers all). */
export interface AccountPage {
  limit: number;
  offset: number;
}
export const FIRST_PAGE: AccountPage = { limit: 100, offset: 0 };

const asAccountResponse = (r: LatestAnswerRow): AccountResponse => ({
  stream: 'relational',
  accountId: r.account_id,
  contactId: r.contact_id,
  role: r.role as Role,
  score: r.score,
  respondedAt: new Date(r.at),
});

const groupByAccount = (rows: readonly LatestAnswerRow[]): Map<string, AccountResponse[]> => groupBy(rows, (row) => row.account_id, asAccountResponse);

/** rules §7/§9 reports that look at accounts: role gap, account NPS distribution, ARR weighting, coverage, NPS × ARR. */
@Injectable()
export class AccountReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
  ) {}

  /**
   * The answers rules §7 counts per account (each person's latest relational answer in the
   * trailing window up to the as-of moment). Taken now without a response filter, the table the
   * triggers keep answers: the summary from all of it, the listed accounts for one page. Otherwise
   * every response the filter takes is read. Either way `page` lists the accounts of one page.
   */
  private async latestAnswers(query: ReportQuery) {
    const { rules } = await this.program.get();
    const asOf = asOfMoment(query, this.clock.now());
    const days = rules.sentimentWindowDays;
    const latest = new LatestRelationalAnswersRepository(this.db.manager);
    const filtered = [query.from, query.trigger, query.tier, query.arrBand, query.tenureBand, query.role, query.quadrant].some((v) => v !== undefined);
    const fast = !filtered && !(await latest.anyAfter(asOf));
    const all = fast ? null : await new ReportResponsesRepository(this.db.manager).latestRelationalAnswers(responseFilter(query), asOf, days);
    /** The answers of the listed accounts' people (all of them on the slow path). */
    const answersOf = async (ids: readonly string[]) => groupByAccount(all ?? (await latest.answersOf(ids, asOf, days)));
    return { rules, asOf, days, latest, all, answersOf };
  }

  /** Accounts with both decision makers and end users heard (relational, each person's latest in 365 days), their gap, flagged above 15; one page of them listed. */
  async roleGaps(query: ReportQuery, page: AccountPage = FIRST_PAGE) {
    const { rules, asOf, days, latest, all, answersOf } = await this.latestAnswers(query);
    const summary = all ? null : await latest.roleGaps(asOf, days, rules.roleGapFlagAbovePoints, page.limit, page.offset);
    const accounts = [];
    for (const [accountId, answers] of [...(await answersOf(summary?.ids ?? []))].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const { byRole } = accountNps(answers, asOf, rules);
      const gap = roleGap(byRole.decision_maker, byRole.end_user, rules);
      if (gap.gap === null) continue;
      const displayGap = displayNpsGap(byRole.decision_maker, byRole.end_user);
      accounts.push({ accountId, decisionMakers: byRole.decision_maker, endUsers: byRole.end_user, gap: gap.gap, displayGap, flagged: gap.flagged });
    }
    return {
      stream: 'relational' as const,
      asOf: asOf.toISOString(),
      flagAbovePoints: rules.roleGapFlagAbovePoints,
      flagged: summary ? summary.flagged : accounts.filter((a) => a.flagged).length,
      total: summary ? summary.accounts : accounts.length,
      ...page,
      accounts: summary ? accounts : accounts.slice(page.offset, page.offset + page.limit),
    };
  }

  /** One class per account (its rules §7 sentiment) and the NPS over accounts, beside the respondent NPS of the same answers; one page of accounts listed. */
  async accountDistribution(query: ReportQuery, page: AccountPage = FIRST_PAGE) {
    const { rules, asOf, days, latest, all, answersOf } = await this.latestAnswers(query);
    const s = all ? null : await latest.distribution(asOf, days, page.limit, page.offset);
    const listed = accountNpsDistribution([...(await answersOf(s?.ids ?? [])).values()].flat(), asOf, rules);
    const base = { stream: 'relational' as const, asOf: asOf.toISOString() };
    if (!s) {
      const respondentNps = summariseCounts('relational', countCategories(all!.map((r) => r.score)));
      const accounts = listed.accounts.slice(page.offset, page.offset + page.limit);
      return { ...base, accountNps: listed.summary, respondentNps, total: listed.accounts.length, ...page, accounts };
    }
    return {
      ...base,
      accountNps: summariseCounts('relational', { promoters: s.promoters, passives: s.passives, detractors: s.detractors }),
      respondentNps: summariseCounts('relational', { promoters: s.respondent_promoters, passives: s.respondent_passives, detractors: s.respondent_detractors }),
      total: s.accounts,
      ...page,
      accounts: listed.accounts,
    };
  }

  /** Each respondent weighted by their account's ARR / the account's responses in the range, n = Kish effective size. */
  async arrWeighted(query: ReportQuery): Promise<{ streams: PerStream<{ weighted: WeightedNps; respondents: NpsSummary }> }> {
    const repository = new ReportResponsesRepository(this.db.manager);
    const filter = responseFilter(query);
    const [groups, totals] = await Promise.all([repository.arrWeightGroups(filter), repository.countsByStream(filter)]);
    const streams = {} as PerStream<{ weighted: WeightedNps; respondents: NpsSummary }>;
    for (const stream of STREAMS) {
      const row = totals.find((t) => t.stream === stream);
      const counts = row ? countsOf(row) : { promoters: 0, passives: 0, detractors: 0 };
      const mine: ArrWeightGroup[] = groups
        .filter((g) => g.stream === stream)
        .map((g) => ({
          responses: g.responses,
          accounts: g.accounts,
          cents: BigInt(g.cents),
          promoterCents: BigInt(g.promoter_cents),
          passiveCents: BigInt(g.passive_cents),
          detractorCents: BigInt(g.detractor_cents),
          squareCents: BigInt(g.square_cents),
        }));
      const respondents = counts.promoters + counts.passives + counts.detractors;
      streams[stream] = { weighted: arrWeightedNpsOfGroups(stream, mine, respondents), respondents: summariseCounts(stream, counts) };
    }
    return { streams };
  }

  /** Share of active ARR whose account had a decision maker respond (relational) in the 90 days up to the as-of moment; one page of covered and uncovered account ids. */
  async revenueCoverage(query: ReportQuery, page: AccountPage = FIRST_PAGE) {
    const asOf = asOfMoment(query, this.clock.now());
    const sums = await new ReportResponsesRepository(this.db.manager).coverage(responseFilter(query), asOf, COVERAGE_WINDOW_DAYS, page);
    const { activeArrCents, coveredArrCents, ...rest } = revenueCoverageOfSums(BigInt(sums.active_cents), BigInt(sums.covered_cents), { windowDays: COVERAGE_WINDOW_DAYS });
    return {
      ...rest,
      asOf: asOf.toISOString(),
      activeArr: decimalFromCents(activeArrCents),
      coveredArr: decimalFromCents(coveredArrCents),
      activeAccounts: sums.accounts,
      coveredAccounts: sums.covered_accounts,
      ...page,
      coveredAccountIds: sums.covered_ids,
      uncoveredAccountIds: sums.uncovered_ids,
    };
  }

  /** Counts and NPS per ARR band × category and per quadrant (both as stored with the response), beside each current quadrant's accounts and ARR. */
  async npsByArr(query: ReportQuery): Promise<{ streams: PerStream<NpsByArrStream> }> {
    const repository = new ReportResponsesRepository(this.db.manager);
    const [rows, accounts] = await Promise.all([repository.countsByArrBandAndQuadrant(responseFilter(query)), repository.activeAccountsByQuadrant()]);
    const quadrantAccounts = new Map(accounts.map((a) => [a.quadrant as HealthQuadrant, { accounts: a.accounts, arrCents: BigInt(a.arr_cents) }]));
    const streams = {} as PerStream<NpsByArrStream>;
    for (const stream of STREAMS) {
      const mine = rows.filter((r) => r.stream === stream);
      const bands = new Map(mine.filter((r) => r.arr_band !== null).map((r) => [r.arr_band === 'unknown' ? null : (r.arr_band as ArrBand), countsOf(r)]));
      const quadrants = new Map(mine.filter((r) => r.quadrant !== null).map((r) => [r.quadrant as HealthQuadrant, countsOf(r)]));
      const result = npsByArrOfCounts(stream, bands, quadrants, quadrantAccounts);
      streams[stream] = {
        byBand: result.byBand.map((b) => ({ arrBand: b.arrBand ?? 'unknown', summary: b.summary })),
        byQuadrant: result.byQuadrant.map(({ arrCents, ...q }) => ({ ...q, arr: decimalFromCents(arrCents) })),
      };
    }
    return { streams };
  }
}
