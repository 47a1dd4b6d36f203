import { BadRequestException, Controller, Get, HttpStatus, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HistoryImportService, ImportSummary } from '@libs/app/src/import/history-import.service';
import { ImportInputError } from '@libs/app/src/import/import-input-error';
import { AdminRequest } from '../admin-keys/admin-key.middleware';
import { ApiErrors } from '../docs/api-errors';
import { ParseIdPipe } from '../http/input-pipes';
import { csvUpload, delightedUpload, ImportUploadInterceptor, UploadRequest } from './import-upload';
import { ImportSummaryDto } from './imports.dto';

const SOURCES = ['delighted', 'csv'] as const;
const binary = { type: 'string', format: 'binary' };
const binaries = (description: string) => ({ type: 'array', items: binary, description });

function sourceParam(value: unknown): (typeof SOURCES)[number] {
  if (typeof value === 'string' && (SOURCES as readonly string[]).includes(value)) return value as (typeof SOURCES)[number];
  throw new BadRequestException(['source: must be delighted or csv']);
}

function dryRunParam(value: unknown): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new BadRequestException(['dryRun: must be true or false']);
}

function limitParam(value: unknown): number {
  if (value === undefined || value === '') return 50;
  const limit = typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= 200)) throw new BadRequestException(['limit: must be a whole number from 1 to 200']);
  return limit;
}

@ApiTags('imports')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/imports')
export class ImportsController {
  constructor(private readonly imports: HistoryImportService) {}

  @Post()
  @UseInterceptors(ImportUploadInterceptor)
  @ApiOperation({
    summary:
      'Imports history (rules §10) from an upload (multipart/form-data): a Delighted export (its JSON files, arrays or JSON lines) or a CSV with its column mapping. ' +
      'Only NPS answers are imported; each keeps its time, score, comment, tags and person properties, is matched to a CRM contact by email, and counts in the NPS reports ' +
      '(never in the response rate). Unsubscribes and bounces unsubscribe their addresses; a person’s last sent time counts for suppression. Importing the same file again ' +
      'changes nothing. dryRun=true answers the same summary and writes nothing.',
  })
  @ApiQuery({ name: 'source', required: true, enum: SOURCES })
  @ApiQuery({ name: 'dryRun', required: false, schema: { type: 'boolean', default: false }, description: 'a preview: counts and refusals, nothing written or kept' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        file: { ...binary, description: 'csv: the CSV file (a header row, then one answer per row)' },
        mapping: { type: 'string', description: 'csv: the column mapping as JSON text (or a file part of that name); see README "Importing history"' },
        survey_responses: binaries('delighted: survey_responses file(s)'),
        people: binaries('delighted: people file(s)'),
        unsubscribes: binaries('delighted: unsubscribes file(s)'),
        bounces: binaries('delighted: bounces file(s)'),
        files: binaries('delighted: the export’s files, each named by its kind (survey_responses.json, people.jsonl, …)'),
      },
    },
  })
  @ApiCreatedResponse({ type: ImportSummaryDto, description: 'the import ran (status succeeded, or failed with its error): its summary, kept' })
  @ApiOkResponse({ type: ImportSummaryDto, description: 'dryRun=true: what the import would do; nothing written' })
  @ApiErrors({ 400: 'source, dryRun, the upload, the mapping or a file is invalid; each message names it', 413: 'a file is larger than 512 MB' })
  async create(
    @Query('source') source: unknown,
    @Query('dryRun') dryRun: unknown,
    @Req() req: UploadRequest & AdminRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportSummary> {
    const kind = sourceParam(source);
    const preview = dryRunParam(dryRun);
    if (!req.is('multipart/form-data'))
      throw new BadRequestException([
        'body: must be multipart/form-data with the files to import (csv: file and mapping; delighted: survey_responses, people, unsubscribes, bounces)',
      ]);
    const actor = `admin_key:${req.adminKey?.id ?? 'unknown'}`;
    try {
      const summary =
        kind === 'csv'
          ? await this.imports.run({ kind, ...(await csvUpload(req)), dryRun: preview, actor })
          : await this.imports.run({ kind, files: delightedUpload(req), dryRun: preview, actor });
      res.status(preview ? HttpStatus.OK : HttpStatus.CREATED);
      return summary;
    } catch (error) {
      if (error instanceof ImportInputError) throw new BadRequestException(error.problems);
      throw error;
    }
  }

  @Get()
  @ApiOperation({ summary: 'The imports kept, newest first, with their counts (each import’s refusals are in its own view)' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiOkResponse({ type: [ImportSummaryDto] })
  @ApiErrors({ 400: 'limit is not a whole number from 1 to 200' })
  list(@Query('limit') limit: unknown): Promise<ImportSummary[]> {
    return this.imports.list(limitParam(limit));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One import’s summary: counts, and the refused records with their file, row, line and reason' })
  @ApiOkResponse({ type: ImportSummaryDto })
  @ApiErrors(400, { 404: 'no import with this id' })
  find(@Param('id', ParseIdPipe) id: string): Promise<ImportSummary> {
    return this.imports.find(id);
  }
}
