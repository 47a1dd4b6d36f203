import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
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
  revenueCoverage,
  Role,
  roleGap,
  summariseCounts,
  WeightedNps,
} from '@libs/nps/src';
import { ProgramService } from '../program/program.service';
import { countsOf, PerStream, STREAMS } from './nps-reports.service';
import { asOfMoment, ReportQuery, responseFilter } from './report-filter';

/** Fixed by rules §9 until they become program settings (libs/nps uses the same defaults). */
const COVERAGE_WINDOW_DAYS = 90;

const asAccountResponse = (r: LatestAnswerRow): AccountResponse => ({
  stream: 'relational',
  accountId: r.account_id,
  contactId: r.contact_id,
  role: r.role as Role,
  score: r.score,
  respondedAt: new Date(r.at),
});

/** rules §7/§9 reports that look at accounts: role gap, account NPS distribution, ARR weighting, coverage, NPS × ARR. */
@Injectable()
export class AccountReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
  ) {}

  private async latestAnswers(query: ReportQuery) {
    const { rules } = await this.program.get();
    const asOf = asOfMoment(query, this.clock.now());
    const rows = await new ReportResponsesRepository(this.db.manager).latestRelationalAnswers(responseFilter(query), asOf, rules.sentimentWindowDays);
    const byAccount = new Map<string, AccountResponse[]>();
    for (const row of rows) byAccount.set(row.account_id, [...(byAccount.get(row.account_id) ?? []), asAccountResponse(row)]);
    return { rules, asOf, rows, byAccount };
  }

  /** Accounts with both decision makers and end users heard (relational, each person's latest in 365 days), their gap, flagged above 15. */
  async roleGaps(query: ReportQuery) {
    const { rules, asOf, byAccount } = await this.latestAnswers(query);
    const accounts = [];
    for (const [accountId, answers] of [...byAccount].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const { byRole } = accountNps(answers, asOf, rules);
      const gap = roleGap(byRole.decision_maker, byRole.end_user, rules);
      if (gap.gap === null) continue;
      const displayGap = displayNpsGap(byRole.decision_maker, byRole.end_user);
      accounts.push({ accountId, decisionMakers: byRole.decision_maker, endUsers: byRole.end_user, gap: gap.gap, displayGap, flagged: gap.flagged });
    }
    return { stream: 'relational' as const, asOf: asOf.toISOString(), flagAbovePoints: rules.roleGapFlagAbovePoints, flagged: accounts.filter((a) => a.flagged).length, accounts };
  }

  /** One class per account (its rules §7 sentiment) and the NPS over accounts, beside the respondent NPS of the same answers. */
  async accountDistribution(query: ReportQuery) {
    const { rules, asOf, rows } = await this.latestAnswers(query);
    const distribution = accountNpsDistribution(rows.map(asAccountResponse), asOf, rules);
    const respondents = summariseCounts('relational', countCategories(rows.map((r) => r.score)));
    return { stream: 'relational' as const, asOf: asOf.toISOString(), accountNps: distribution.summary, respondentNps: respondents, accounts: distribution.accounts };
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

  /** Share of active ARR whose account had a decision maker respond (relational) in the 90 days up to the as-of moment. */
  async revenueCoverage(query: ReportQuery) {
    const asOf = asOfMoment(query, this.clock.now());
    const repository = new ReportResponsesRepository(this.db.manager);
    const [accounts, heard] = await Promise.all([repository.activeAccounts(), repository.decisionMakerHeard(responseFilter(query), asOf, COVERAGE_WINDOW_DAYS)]);
    const coverage = revenueCoverage({
      activeAccounts: accounts.map((a) => ({ accountId: a.account_id, arr: a.arr })),
      responses: heard.map((h) => ({ stream: 'relational', accountId: h.account_id, role: 'decision_maker', respondedAt: new Date(h.at) })),
      now: asOf,
    });
    const { activeArrCents, coveredArrCents, ...rest } = coverage;
    return { ...rest, asOf: asOf.toISOString(), activeArr: decimalFromCents(activeArrCents), coveredArr: decimalFromCents(coveredArrCents) };
  }

  /** Counts and NPS per ARR band × category and per quadrant (both as stored with the response), beside each current quadrant's accounts and ARR. */
  async npsByArr(query: ReportQuery) {
    const repository = new ReportResponsesRepository(this.db.manager);
    const [rows, accounts] = await Promise.all([repository.countsByArrBandAndQuadrant(responseFilter(query)), repository.activeAccountsByQuadrant()]);
    const quadrantAccounts = new Map(accounts.map((a) => [a.quadrant as HealthQuadrant, { accounts: a.accounts, arrCents: BigInt(a.arr_cents) }]));
    const streams = {} as PerStream<unknown>;
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
