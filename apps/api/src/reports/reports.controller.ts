import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/api-errors';
import { AccountReportsService } from '@libs/app/src/reports/account-reports.service';
import { NpsReportsService } from '@libs/app/src/reports/nps-reports.service';
import { AccountDistributionReportDto, ArrWeightedReportDto, NpsByArrReportDto, RevenueCoverageReportDto, RoleGapReportDto } from './account-reports.dto';
import { AccountPageQueryDto, ReportQueryDto, SurveyReportQueryDto, TrendQueryDto } from './report-query.dto';
import { ResponseRateReportDto, SegmentReportDto, ThemeReportDto, TrendReportDto } from './reports.dto';

/** A range whose end is before its start is a mistake, not an empty report. */
function checked<Q extends { from?: string; to?: string }>(query: Q): Q {
  if (query.from && query.to && query.from > query.to) throw new BadRequestException(['to: must not be before from']);
  return query;
}

const BAD_FILTER = { 400: 'a filter is not valid (the message names it), or to is before from' };

@ApiTags('reports')
@ApiBearerAuth()
@ApiErrors(401, 429, BAD_FILTER)
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reports: NpsReportsService,
    private readonly accounts: AccountReportsService,
  ) {}

  @Get('trend')
  @ApiOperation({ summary: 'NPS per month or quarter and stream, with interval, low-sample mark and the significance of each change' })
  @ApiOkResponse({ type: TrendReportDto })
  trend(@Query() query: TrendQueryDto) {
    return this.reports.trend(checked(query), query.granularity ?? 'quarter');
  }

  @Get('segments')
  @ApiOperation({ summary: 'NPS per stream by tier, ARR band, tenure band, role (stored with each response) and health quadrant' })
  @ApiOkResponse({ type: SegmentReportDto })
  segments(@Query() query: ReportQueryDto) {
    return this.reports.bySegment(checked(query));
  }

  @Get('response-rate')
  @ApiOperation({ summary: 'Response rate per stream (responses to surveys sent in the range / surveys sent) and skips by reason' })
  @ApiOkResponse({ type: ResponseRateReportDto })
  responseRate(@Query() query: SurveyReportQueryDto) {
    return this.reports.responseRate(checked(query));
  }

  @Get('themes')
  @ApiOperation({ summary: 'Themes per stream and quarter with counts by category; emerging themes flagged' })
  @ApiOkResponse({ type: ThemeReportDto })
  themes(@Query() query: ReportQueryDto) {
    return this.reports.themes(checked(query));
  }

  @Get('role-gap')
  @ApiOperation({ summary: 'Accounts with decision makers and end users heard (relational, trailing 365 days), their NPS gap, flagged above 15' })
  @ApiOkResponse({ type: RoleGapReportDto })
  roleGap(@Query() query: AccountPageQueryDto) {
    const { limit, offset, ...filters } = checked(query);
    return this.accounts.roleGaps(filters, { limit: limit ?? 100, offset: offset ?? 0 });
  }

  @Get('account-distribution')
  @ApiOperation({ summary: 'Account NPS distribution (relational): one class per account, the NPS over accounts beside the respondent NPS' })
  @ApiOkResponse({ type: AccountDistributionReportDto })
  accountDistribution(@Query() query: AccountPageQueryDto) {
    const { limit, offset, ...filters } = checked(query);
    return this.accounts.accountDistribution(filters, { limit: limit ?? 100, offset: offset ?? 0 });
  }

  @Get('arr-weighted')
  @ApiOperation({ summary: "ARR-weighted NPS per stream (weight = account ARR / the account's responses) with the Kish effective n" })
  @ApiOkResponse({ type: ArrWeightedReportDto })
  arrWeighted(@Query() query: ReportQueryDto) {
    return this.accounts.arrWeighted(checked(query));
  }

  @Get('revenue-coverage')
  @ApiOperation({ summary: 'Share of active ARR whose account had a decision maker respond (relational) in the trailing 90 days; target 80 %' })
  @ApiOkResponse({ type: RevenueCoverageReportDto })
  revenueCoverage(@Query() query: AccountPageQueryDto) {
    const { limit, offset, ...filters } = checked(query);
    return this.accounts.revenueCoverage(filters, { limit: limit ?? 100, offset: offset ?? 0 });
  }

  @Get('nps-by-arr')
  @ApiOperation({ summary: 'NPS × ARR per stream: counts and NPS per ARR band × category, and per health quadrant with its ARR' })
  @ApiOkResponse({ type: NpsByArrReportDto })
  npsByArr(@Query() query: ReportQueryDto) {
    return this.accounts.npsByArr(checked(query));
  }
}
