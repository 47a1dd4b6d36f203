import { BadRequestException } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { REPORT_TABLES, ReportName, RESPONSE_FILTERS } from '@libs/app/src/reports/report-tables';
import type { ReportQuery } from '@libs/app/src/reports/report-filter';
import { Stream, TRIGGER_STREAM, Trigger } from '@libs/nps/src';
import { BodyValidationPipe } from '../../http/input-pipes';
import { checkedRange, STREAMS } from '../../reports/report-csv-query.dto';
import { oneOf, TrendQueryDto } from '../../reports/report-query.dto';
import type { FieldErrors } from '../components';

/** The dashboard's query: the reports' filters (the same DTO as /api/reports/trend), the stream shown and the trend's period. */
export class DashboardQueryDto extends TrendQueryDto {
  @IsOptional()
  @IsIn(STREAMS, { message: oneOf(STREAMS) })
  stream?: Stream;
}

export type Granularity = 'month' | 'quarter';

export interface DashboardQuery {
  stream: Stream;
  granularity: Granularity;
  filters: ReportQuery;
}

/** What the filter form shows: the values as sent (also when they were refused). */
export type FormValues = Partial<Record<(typeof RESPONSE_FILTERS)[number] | 'granularity', string>>;

export type ParsedDashboardQuery = { query: DashboardQuery; values: FormValues; errors: null } | { query: DashboardQuery; values: FormValues; errors: FieldErrors };

export const DEFAULT_STREAM: Stream = 'relational';
export const DEFAULT_GRANULARITY: Granularity = 'quarter';
const FORM_FIELDS = [...RESPONSE_FILTERS, 'granularity'] as const;
const validation = new BodyValidationPipe();

export const triggersOf = (stream: Stream): Trigger[] => (Object.keys(TRIGGER_STREAM) as Trigger[]).filter((t) => TRIGGER_STREAM[t] === stream);

/** A form left a field empty: the filter is not set. Whether the query has such fields (its URL is then tidied). */
export const hasEmptyValues = (raw: Record<string, unknown>) => Object.values(raw).some((v) => v === '');
const withoutEmpty = (raw: Record<string, unknown>) => Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));

/** The field a validation message is about: "arrBand must be …", "to: must not …", "property x should not exist". */
function fieldOf(message: string): string {
  const unknown = /^property (\S+) should not exist/.exec(message);
  return unknown ? unknown[1] : (/^([A-Za-z]+)/.exec(message)?.[1] ?? 'form');
}

function errorsOf(error: unknown): string[] {
  if (!(error instanceof BadRequestException)) throw error;
  const body = error.getResponse() as { message?: unknown };
  return Array.isArray(body.message) ? body.message.map(String) : [String(body.message)];
}

/**
 * The dashboard's query, checked by the API's own validation (the global pipe's rules and
 * words, so a bad value reads as /api/reports says it), plus one check of the dashboard's: a
 * trigger belongs to the stream shown.
 */
export async function parseDashboardQuery(raw: Record<string, unknown>): Promise<ParsedDashboardQuery> {
  const given = withoutEmpty(raw);
  const values: FormValues = Object.fromEntries(FORM_FIELDS.filter((f) => typeof given[f] === 'string').map((f) => [f, given[f] as string]));
  const stream = STREAMS.includes(given.stream as Stream) ? (given.stream as Stream) : DEFAULT_STREAM;
  const fallback: DashboardQuery = { stream, granularity: DEFAULT_GRANULARITY, filters: {} };
  let dto: DashboardQueryDto;
  try {
    dto = checkedRange((await validation.transform(given, { type: 'query', metatype: DashboardQueryDto, data: undefined })) as DashboardQueryDto);
  } catch (error) {
    const errors: FieldErrors = {};
    for (const message of errorsOf(error)) {
      const field = fieldOf(message);
      errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
    }
    return { query: fallback, values, errors };
  }
  const { stream: _stream, granularity, ...filters } = dto;
  const query: DashboardQuery = { stream, granularity: granularity ?? DEFAULT_GRANULARITY, filters: { ...filters } };
  if (filters.trigger && TRIGGER_STREAM[filters.trigger as Trigger] !== stream) {
    const other = TRIGGER_STREAM[filters.trigger as Trigger];
    const message = `trigger: ${filters.trigger} is a ${other} trigger; the ${stream} dashboard takes ${triggersOf(stream).join(' or ')} (or open the ${other} dashboard)`;
    return { query: fallback, values, errors: { trigger: message } };
  }
  return { query, values, errors: null };
}

function search(params: Array<[string, string | number | undefined]>): string {
  const given = params.filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '');
  return given.length ? `?${new URLSearchParams(given.map(([k, v]) => [k, String(v)]))}` : '';
}

const filterParams = (filters: ReportQuery, only: readonly string[]): Array<[string, string | undefined]> =>
  RESPONSE_FILTERS.filter((f) => only.includes(f)).map((f) => [f, filters[f]]);

/** The dashboard's address for a stream and filters (defaults left out, so the plain /console is the relational dashboard over all time). */
export function dashboardUrl(query: DashboardQuery): string {
  return `/console${search([
    ['stream', query.stream === DEFAULT_STREAM ? undefined : query.stream],
    ...filterParams(query.filters, RESPONSE_FILTERS),
    ['granularity', query.granularity === DEFAULT_GRANULARITY ? undefined : query.granularity],
  ])}`;
}

/** The download of one table, with exactly the filters its report takes (the same as the JSON route's). */
export function csvUrl(report: ReportName, table: string, query: DashboardQuery): string {
  const takes = REPORT_TABLES[report].filters;
  return `/console/reports/${report}/${table}.csv${search([
    ['stream', query.stream],
    ...filterParams(query.filters, takes),
    ['granularity', takes.includes('granularity') ? query.granularity : undefined],
  ])}`;
}
