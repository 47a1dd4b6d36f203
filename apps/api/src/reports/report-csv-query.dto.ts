import { BadRequestException, Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { ReportName } from '@libs/app/src/reports/report-tables';
import type { Stream } from '@libs/nps/src';
import { AccountPageQueryDto, IsCalendarDate, oneOf, ReportQueryDto, SurveyReportQueryDto, TrendQueryDto } from './report-query.dto';

export const STREAMS: readonly Stream[] = ['relational', 'transactional'];
const STREAM_DOC = { enum: STREAMS, description: "whose table: every report is per stream, and a table holds one stream's rows (rules §2)" };
const RELATIONAL_ONLY = '$property must be relational: this report is about accounts, which only the relational stream has';

/** A range whose end is before its start is a mistake, not an empty report (the same words as the JSON routes). */
export function checkedRange<Q extends { from?: string; to?: string }>(query: Q): Q {
  if (query.from && query.to && query.from > query.to) throw new BadRequestException(['to: must not be before from']);
  return query;
}

export class TrendCsvQueryDto extends TrendQueryDto {
  @ApiProperty(STREAM_DOC)
  @IsIn(STREAMS, { message: oneOf(STREAMS) })
  stream: Stream;
}

export class ReportCsvQueryDto extends ReportQueryDto {
  @ApiProperty(STREAM_DOC)
  @IsIn(STREAMS, { message: oneOf(STREAMS) })
  stream: Stream;
}

export class SurveyCsvQueryDto extends SurveyReportQueryDto {
  @ApiProperty(STREAM_DOC)
  @IsIn(STREAMS, { message: oneOf(STREAMS) })
  stream: Stream;
}

/** The account reports (role gap, account NPS distribution, revenue coverage) are relational only: stream may be left out. */
export class AccountCsvQueryDto extends AccountPageQueryDto {
  @ApiPropertyOptional({ enum: ['relational'], default: 'relational', description: 'relational (the only stream this report has)' })
  @IsOptional()
  @IsIn(['relational'], { message: RELATIONAL_ONLY })
  stream?: 'relational';
}

/** Loop closure counts follow-ups by when they were created: dates only. */
export class LoopClosureCsvQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'follow-ups created on or after this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'follow-ups created on or before this UTC day' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiProperty(STREAM_DOC)
  @IsIn(STREAMS, { message: oneOf(STREAMS) })
  stream: Stream;
}

/** Each report's CSV query: its JSON route's filters and the stream. */
export const CSV_QUERIES: Readonly<Record<ReportName, Type<{ stream?: Stream; from?: string; to?: string }>>> = {
  trend: TrendCsvQueryDto,
  segments: ReportCsvQueryDto,
  'nps-by-arr': ReportCsvQueryDto,
  'arr-weighted': ReportCsvQueryDto,
  themes: ReportCsvQueryDto,
  'account-distribution': AccountCsvQueryDto,
  'revenue-coverage': AccountCsvQueryDto,
  'role-gap': AccountCsvQueryDto,
  'response-rate': SurveyCsvQueryDto,
  'loop-closure': LoopClosureCsvQueryDto,
};
