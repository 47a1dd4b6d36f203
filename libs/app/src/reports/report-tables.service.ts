import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import type { Stream, TrendGranularity } from '@libs/nps/src';
import { AccountPage, AccountReportsService, FIRST_PAGE } from './account-reports.service';
import { LoopClosureService } from './loop-closure.service';
import { NpsReportsService } from './nps-reports.service';
import { ReportQuery } from './report-filter';
import { AccountNames, accountIdsOf, REPORT_TABLES, ReportAnswers, ReportName, reportTable, ReportTable } from './report-tables';

/** A report's filters with its own options: the trend's period, which page of accounts an account report lists. */
export interface ReportTableQuery extends ReportQuery {
  granularity?: TrendGranularity;
  limit?: number;
  offset?: number;
}

/** A report's answer and the names of the accounts it lists (empty for the others). */
export interface ReportReading<R extends ReportName> {
  report: R;
  answer: ReportAnswers[R];
  names: AccountNames;
}

/**
 * Reads a report through the service its JSON route uses (one call, with the filters that
 * report takes), so a table shows and downloads exactly the numbers `/api/reports` answers.
 */
@Injectable()
export class ReportTablesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly nps: NpsReportsService,
    private readonly accounts: AccountReportsService,
    private readonly loop: LoopClosureService,
  ) {}

  async read<R extends ReportName>(report: R, query: ReportTableQuery): Promise<ReportReading<R>> {
    const answer = (await this.answer(report, query)) as ReportAnswers[R];
    const ids = REPORT_TABLES[report].listsAccounts ? accountIdsOf(report, answer) : [];
    const names: AccountNames = ids.length ? await new AccountsRepository(this.db.manager).namesOf([...new Set(ids)]) : new Map();
    return { report, answer, names };
  }

  /** One table of one report for one stream (the table's name checked by the caller). */
  async table(report: ReportName, name: string, stream: Stream, query: ReportTableQuery): Promise<ReportTable> {
    const reading = await this.read(report, query);
    return reportTable(report, name, reading.answer, stream, reading.names);
  }

  private answer(report: ReportName, query: ReportTableQuery): Promise<ReportAnswers[ReportName]> {
    const { granularity, limit, offset, ...filters } = query;
    const page: AccountPage = { limit: limit ?? FIRST_PAGE.limit, offset: offset ?? FIRST_PAGE.offset };
    switch (report) {
      case 'trend':
        return this.nps.trend(filters, granularity ?? 'quarter');
      case 'segments':
        return this.nps.bySegment(filters);
      case 'themes':
        return this.nps.themes(filters);
      case 'response-rate':
        return this.nps.responseRate({ from: filters.from, to: filters.to, trigger: filters.trigger });
      case 'nps-by-arr':
        return this.accounts.npsByArr(filters);
      case 'arr-weighted':
        return this.accounts.arrWeighted(filters);
      case 'account-distribution':
        return this.accounts.accountDistribution(filters, page);
      case 'revenue-coverage':
        return this.accounts.revenueCoverage(filters, page);
      case 'role-gap':
        return this.accounts.roleGaps(filters, page);
      case 'loop-closure':
        return this.loop.report(filters.from ?? null, filters.to ?? null);
    }
  }
}
