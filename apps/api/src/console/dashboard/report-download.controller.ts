import { BadRequestException, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isReportName, ReportName } from '@libs/app/src/reports/report-tables';
import { ReportTablesService, ReportTableQuery } from '@libs/app/src/reports/report-tables.service';
import type { Stream } from '@libs/nps/src';
import { BodyValidationPipe } from '../../http/input-pipes';
import { sendReportTable } from '../../reports/report-csv';
import { checkedRange, CSV_QUERIES } from '../../reports/report-csv-query.dto';
import { ConsoleController, OpenTo } from '../console-access';

const validation = new BodyValidationPipe();

/**
 * /console/reports/<report>/<table>.csv: the download beside each dashboard table, for viewers
 * too. The same query and the same CSV as /api/reports/<report>/<table>.csv (which needs an admin
 * key): the table's rows, from one call to the report's service.
 */
@ConsoleController('reports')
@OpenTo('viewer')
export class ReportDownloadController {
  constructor(private readonly tables: ReportTablesService) {}

  @Get(':report/:table.csv')
  async download(@Req() req: Request, @Res() res: Response, @Param('report') report: string, @Param('table') table: string, @Query() raw: Record<string, unknown>): Promise<void> {
    if (!isReportName(report)) throw new NotFoundException([`report: there is no report "${report}"`]);
    const query = await this.checkedQuery(report, raw);
    return sendReportTable(req, res, this.tables, report, table, query);
  }

  /** The query as the API route of this report checks it (its DTO, the global pipe's words). */
  private async checkedQuery(report: ReportName, raw: Record<string, unknown>): Promise<ReportTableQuery & { stream?: Stream }> {
    const query = (await validation.transform(raw, { type: 'query', metatype: CSV_QUERIES[report], data: undefined })) as ReportTableQuery & { stream?: Stream };
    if (typeof query !== 'object' || query === null) throw new BadRequestException(['query: not a query']);
    return checkedRange(query);
  }
}
