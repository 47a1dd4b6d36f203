import { BadRequestException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { csvRecord, ReportName, ReportTable, tableNamesOf, tableShapesOf } from '@libs/app/src/reports/report-tables';
import { ReportTablesService, ReportTableQuery } from '@libs/app/src/reports/report-tables.service';
import type { Stream } from '@libs/nps/src';
import { sendCsv, sendJsonArray } from '../export/streamed-answer';

/** A table's name from a URL: one of the report's tables, else a 400 naming the parameter and the tables there are. */
export function tableParam(report: ReportName, table: string): string {
  const names = tableNamesOf(report);
  if (!names.includes(table)) throw new BadRequestException([`table: the ${report} report has no table "${table}" (its tables: ${names.join(', ')})`]);
  return table;
}

async function* records(table: ReportTable): AsyncGenerator<Record<string, string>> {
  for (const row of table.rows) yield csvRecord(table.columns, row);
}

/** The file a table downloads as: `relational-trend-periods.csv`. */
export const tableFilename = (report: ReportName, table: string, stream: Stream) => `${stream}-${report}-${table}.csv`;

async function* rows(table: ReportTable): AsyncGenerator<unknown> {
  yield* table.rows;
}

/**
 * Reads one table of a report (the report service once, with the query's filters) and streams it
 * as CSV: a header row of the table's column keys, then one line per row. With Accept:
 * application/json, the same rows as a JSON array of objects (values unformatted). The API route
 * and the console's download link both answer through here.
 */
export async function sendReportTable(
  req: Request,
  res: Response,
  tables: ReportTablesService,
  report: ReportName,
  table: string,
  query: ReportTableQuery & { stream?: Stream },
): Promise<void> {
  const { stream = 'relational', ...filters } = query;
  const read = await tables.table(report, tableParam(report, table), stream, filters);
  if (req.accepts(['text/csv', 'application/json']) === 'application/json') return sendJsonArray(res, {}, rows(read));
  const columns = read.columns.map((c) => c.key);
  return sendCsv(res, tableFilename(report, table, stream), columns, records(read));
}

/** The tables of a report and their columns, as /docs lists them. */
export function tablesDescription(report: ReportName): string {
  return tableShapesOf(report)
    .map(({ name, ...t }) => `**${name}** (${t.title}): ${t.columns.map((c) => `\`${c.key}\` ${c.about}`).join('; ')}.`)
    .join('\n\n');
}

/** The header row of each table, as the documented example. */
export function tablesExample(report: ReportName): string {
  return tableShapesOf(report)
    .map((t) => t.columns.map((c) => c.key).join(','))
    .join('\n');
}
