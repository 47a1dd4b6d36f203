import { Get, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AlertsService } from '@libs/app/src/alerts/alerts.service';
import { ReportTablesService, ReportTableQuery } from '@libs/app/src/reports/report-tables.service';
import { ConsoleController, ConsoleRequest, OpenTo, pageContext } from '../console-access';
import { DashboardQuery, dashboardUrl, hasEmptyValues, parseDashboardQuery } from './dashboard-query';
import { ALERTS_READ, dashboardPage, DashboardReports } from './dashboard.page';

/**
 * /console: the dashboard, for everyone signed in. A thin controller over the services the
 * reports API uses: one call per report, all at once, with the filters from the URL (checked by
 * the API's own validation: a bad value shows its message beside the field, with a 400).
 */
@ConsoleController()
@OpenTo('viewer')
export class DashboardController {
  constructor(
    private readonly tables: ReportTablesService,
    private readonly alerts: AlertsService,
  ) {}

  @Get()
  async show(@Req() req: ConsoleRequest, @Res() res: Response, @Query() raw: Record<string, unknown>): Promise<void> {
    const parsed = await parseDashboardQuery(raw);
    // A submitted form sends its empty fields too: the address keeps only the filters set, so it reads well when shared.
    if (!parsed.errors && hasEmptyValues(raw)) return res.redirect(302, dashboardUrl(parsed.query));
    const reports = parsed.errors ? null : await this.read(parsed.query);
    res
      .status(parsed.errors ? 400 : 200)
      .type('html')
      .send(dashboardPage(pageContext(req), { query: parsed.query, values: parsed.values, errors: parsed.errors, reports }));
  }

  private async read({ stream, granularity, filters }: DashboardQuery): Promise<DashboardReports> {
    const query: ReportTableQuery = { ...filters, granularity };
    const relational = stream === 'relational';
    const [trend, segments, npsByArr, arrWeighted, themes, responseRate, loopClosure, accountDistribution, revenueCoverage, roleGap, alerts] = await Promise.all([
      this.tables.read('trend', query),
      this.tables.read('segments', query),
      this.tables.read('nps-by-arr', query),
      this.tables.read('arr-weighted', query),
      this.tables.read('themes', query),
      this.tables.read('response-rate', query),
      this.tables.read('loop-closure', query),
      relational ? this.tables.read('account-distribution', query) : null,
      relational ? this.tables.read('revenue-coverage', query) : null,
      relational ? this.tables.read('role-gap', query) : null,
      this.alerts.list({ state: 'new', stream, limit: ALERTS_READ }),
    ]);
    return { trend, segments, npsByArr, arrWeighted, themes, responseRate, loopClosure, accountDistribution, revenueCoverage, roleGap, alerts };
  }
}
