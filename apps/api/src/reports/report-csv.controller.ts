import { applyDecorators, Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { REPORT_TABLES, ReportName, tableNamesOf } from '@libs/app/src/reports/report-tables';
import { ReportTablesService } from '@libs/app/src/reports/report-tables.service';
import { ApiErrors } from '../docs/api-errors';
import { sendReportTable, tablesDescription, tablesExample } from './report-csv';
import { AccountCsvQueryDto, checkedRange, LoopClosureCsvQueryDto, ReportCsvQueryDto, SurveyCsvQueryDto, TrendCsvQueryDto } from './report-csv-query.dto';

const JSON_ROUTE: Record<ReportName, string> = Object.fromEntries(
  Object.keys(REPORT_TABLES).map((r) => [r, r === 'loop-closure' ? '/api/loop-closure' : `/api/reports/${r}`]),
) as Record<ReportName, string>;

/** A row's value in the JSON form: a number, a flag, text, or null for nothing. */
const ROW_VALUE = { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }], nullable: true };

/** The documentation of one report's CSV route: its tables and their columns. */
function CsvRoute(report: ReportName) {
  return applyDecorators(
    ApiOperation({
      summary: `One table of the ${report} report as CSV (streamed), for one stream: the numbers ${JSON_ROUTE[report]} answers for the same filters`,
      description:
        `Numbers are exact, as the JSON report has them (NPS not rounded, shares 0–1, money as decimals); empty cells for nothing; text a spreadsheet could ` +
        `take for a formula gets a leading apostrophe. Send Accept: application/json for the same rows as a JSON array of objects. ` +
        `The console's download links send the same files.\n\n${tablesDescription(report)}`,
    }),
    ApiParam({ name: 'table', enum: tableNamesOf(report), description: 'which table (the path ends in .csv)' }),
    ApiProduces('text/csv', 'application/json'),
    ApiOkResponse({
      description: 'a CSV file (Content-Disposition: attachment) with a header row of the column keys',
      headers: { 'Content-Disposition': { schema: { type: 'string', example: `attachment; filename="relational-${report}-${tableNamesOf(report)[0]}.csv"` } } },
      content: {
        'text/csv': { schema: { type: 'string', example: `${tablesExample(report)}\n` } },
        'application/json': { schema: { type: 'array', items: { type: 'object', additionalProperties: ROW_VALUE, description: 'a row: the CSV columns as keys' } } },
      },
    }),
    ApiErrors({ 400: "a filter, the stream or the table is not valid (the message names it and, for a table, lists the report's tables), or to is before from" }),
  );
}

/**
 * The CSV of every report table: `/api/reports/<report>/<table>.csv?stream=…&<the report's
 * filters>`. Each table comes from the same service call as the JSON report (libs/app
 * report-tables.ts defines the tables once; the console's download links use them too).
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/reports')
export class ReportCsvController {
  constructor(private readonly tables: ReportTablesService) {}

  @Get('trend/:table.csv')
  @CsvRoute('trend')
  trend(@Req() req: Request, @Res() res: Response, @Param('table') table: string, @Query() query: TrendCsvQueryDto): Promise<void> {
    return sendReportTable(req, res, this.tables, 'trend', table, checkedRange(query));
  }

  @Get('segments/:table.csv')
  @CsvRoute('segments')
  segments(@Req() req: Request, @Res() res: Response, @Param('table') table: string, @Query() query: ReportCsvQueryDto): Promise<void> {
    return sendReportTable(req, res, this.tables, 'segments', table, checkedRange(query));
  }

  @Get('nps-by-arr/:table.csv')
  @CsvRoute('nps-by-arr')
  npsByArr(@Req() req: Request, @Res() res: Response, @Param('table') table: string, @Query() query: ReportCsvQueryDto): Promise<void> {
    return sendReportTable(req, res, this.tables, 'nps-by-arr', table, checkedRange(query));
  }

  @Get('arr-weighted/:table.csv')
  @CsvRoute('arr-weighted')
  arrWeighted(@Req() req: Request, @Res() res: Response, @Param('table') table: string, @Query() query: ReportCsvQueryDto): Promise<void> {
    return sendReportTable(req, res, this.tables, 'arr-weighted', table, checkedRange(query));
  }

  @Get('account-distribution/:table.csv')
  @CsvRoute('account-distribution')
  accountDistribution(@Req() req: Request, @Res() res: Response, @Param('table') table: string, @Query() query: AccountCsvQueryDto): Promise<void> {
    return sendReportTable(req, res, this.tables, 'account-distribution', table, checkedRange(query));
  }

  @Get('revenue-coverage/:table.csv')
  @CsvRoute('revenue-coverage')
  revenueCoverage(@Req() req: Request, @Res() res: Response, @Param('table') table: string, @Query() query: AccountCsvQueryDto): Promise<void> {
    return sendReportTable(req, res, this.tables, 'revenue-coverage', table, checkedRange(query));
  }

  @Get('role-gap/:table.csv')
  @CsvRoute('role-gap')
  roleGap(@Req() req: Request, @Res() res: Response, @Param('table') table: string, @Query() query: AccountCsvQueryDto): Promise<void> {
    return sendReportTable(req, res, this.tables, 'role-gap', table, checkedRange(query));
  }

  @Get('themes/:table.csv')
  @CsvRoute('themes')
  themes(@Req() req: Request, @Res() res: Response, @Param('table') table: string, @Query() query: ReportCsvQueryDto): Promise<void> {
    return sendReportTable(req, res, this.tables, 'themes', table, checkedRange(query));
  }

  @Get('response-rate/:table.csv')
  @CsvRoute('response-rate')
  responseRate(@Req() req: Request, @Res() res: Response, @Param('table') table: string, @Query() query: SurveyCsvQueryDto): Promise<void> {
    return sendReportTable(req, res, this.tables, 'response-rate', table, checkedRange(query));
  }

  @Get('loop-closure/:table.csv')
  @CsvRoute('loop-closure')
  loopClosure(@Req() req: Request, @Res() res: Response, @Param('table') table: string, @Query() query: LoopClosureCsvQueryDto): Promise<void> {
    return sendReportTable(req, res, this.tables, 'loop-closure', table, checkedRange(query));
  }
}
