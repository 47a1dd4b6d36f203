import { BadRequestException, Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../docs/api-errors';
import { calendarDateParam } from '../http/input-pipes';
import { ExportedResponseDto, ResponseFeedPageDto } from './export.dto';
import { mapped, sendCsv, sendJsonArray, sendJsonLines } from './streamed-answer';
import { RESPONSE_CSV_COLUMNS, responseCsvRecord } from '@libs/app/src/export/response-csv';
import { ResponseExportService } from '@libs/app/src/export/response-export.service';
import type { ResponseExportFilter } from '@libs/db/src/repositories/export-responses.repository';

const STREAMS = ['relational', 'transactional'] as const;
const FEED_LIMIT = { default: 10_000, max: 100_000 };

function streamParam(value: unknown): ResponseExportFilter['stream'] {
  if (value === undefined || value === '') return null;
  if (!STREAMS.includes(value as (typeof STREAMS)[number])) throw new BadRequestException(['stream: must be relational or transactional']);
  return value as ResponseExportFilter['stream'];
}

function limitParam(value: unknown): number {
  if (value === undefined || value === '') return FEED_LIMIT.default;
  const limit = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= FEED_LIMIT.max)) throw new BadRequestException([`limit: must be an integer from 1 to ${FEED_LIMIT.max}`]);
  return limit;
}

function sinceParam(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value === '') throw new BadRequestException(['since: must be a cursor this feed gave (X-Next-Cursor), or left out to start from the beginning']);
  return value;
}

const STREAM_QUERY = { name: 'stream', required: false, enum: STREAMS, description: 'one stream only (default both, told apart by the stream column)' };
const wantsJson = (req: Request, usual: string) => req.accepts([usual, 'application/json']) === 'application/json';

@ApiTags('exports')
@ApiBearerAuth()
@ApiErrors(401, 429)
@ApiExtraModels(ExportedResponseDto, ResponseFeedPageDto)
@Controller('api/export')
export class ExportController {
  constructor(private readonly exports: ResponseExportService) {}

  @Get('responses.csv')
  @ApiOperation({
    summary:
      'Every response as a CSV download (streamed): the answer, its stream and trigger, the role/tier/ARR band/tenure band snapshot, themes, follow-ups and their state. ' +
      'Text that starts like a spreadsheet formula gets a leading apostrophe. Send Accept: application/json for the same rows as a JSON array.',
  })
  @ApiQuery(STREAM_QUERY)
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date' }, description: 'responses first answered on or after this date (YYYY-MM-DD, UTC)' })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date' }, description: 'responses first answered on or before this date (YYYY-MM-DD, UTC)' })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({
    description: 'a CSV file (Content-Disposition: attachment) with a header row; with Accept: application/json, an array of responses',
    headers: { 'Content-Disposition': { schema: { type: 'string', example: 'attachment; filename="responses.csv"' } } },
    content: {
      'text/csv': { schema: { type: 'string', example: `${RESPONSE_CSV_COLUMNS.join(',')}\n` } },
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(ExportedResponseDto) } } },
    },
  })
  @ApiErrors({ 400: 'stream is not a stream, from or to is not a date (YYYY-MM-DD), or to is before from' })
  async responsesCsv(@Req() req: Request, @Res() res: Response, @Query('stream') stream?: unknown, @Query('from') from?: unknown, @Query('to') to?: unknown): Promise<void> {
    const filter = { stream: streamParam(stream), from: calendarDateParam('from', from), to: calendarDateParam('to', to) };
    if (filter.from && filter.to && filter.from > filter.to) throw new BadRequestException(['to: must not be before from']);
    const rows = await this.exports.responses(filter);
    if (wantsJson(req, 'text/csv')) return sendJsonArray(res, {}, rows);
    return sendCsv(res, 'responses.csv', RESPONSE_CSV_COLUMNS, mapped(rows, responseCsvRecord));
  }

  @Get('responses')
  @ApiOperation({
    summary:
      'The responses feed for warehouses: one response per line (JSON Lines), in the order they last changed, from the cursor `since`; ' +
      'the next cursor is in X-Next-Cursor and Link rel="next". A response that changes again comes again, later. Send Accept: application/json for one JSON page.',
  })
  @ApiQuery({ name: 'since', required: false, type: String, description: 'X-Next-Cursor of the previous page; leave out to start from the beginning' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: FEED_LIMIT.max, default: FEED_LIMIT.default } })
  @ApiQuery(STREAM_QUERY)
  @ApiProduces('application/x-ndjson', 'application/json')
  @ApiOkResponse({
    description: 'fewer lines than limit: the feed has caught up (changes younger than 10 seconds wait for the next call)',
    headers: {
      'X-Next-Cursor': { schema: { type: 'string' }, description: 'since for the next call' },
      Link: { schema: { type: 'string', example: '</api/export/responses?since=…&limit=10000>; rel="next"' } },
    },
    content: {
      'application/x-ndjson': { schema: { $ref: getSchemaPath(ExportedResponseDto) } },
      'application/json': { schema: { $ref: getSchemaPath(ResponseFeedPageDto) } },
    },
  })
  @ApiErrors({ 400: 'since is not a cursor this feed gave, limit is not an integer from 1 to 100000, or stream is not a stream' })
  async responsesFeed(
    @Req() req: Request,
    @Res() res: Response,
    @Query('since') since?: unknown,
    @Query('limit') limit?: unknown,
    @Query('stream') stream?: unknown,
  ): Promise<void> {
    const count = limitParam(limit);
    const only = streamParam(stream);
    const page = await this.exports.feed(sinceParam(since), count, only);
    const next = new URLSearchParams({ since: page.nextCursor, limit: String(count), ...(only ? { stream: only } : {}) });
    const headers = { 'X-Next-Cursor': page.nextCursor, Link: `</api/export/responses?${next}>; rel="next"` };
    if (wantsJson(req, 'application/x-ndjson')) return sendJsonArray(res, headers, page.responses, `{"nextCursor":${JSON.stringify(page.nextCursor)},"responses":`, '}');
    return sendJsonLines(res, headers, page.responses);
  }
}
