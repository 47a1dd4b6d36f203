import { ApiProperty } from '@nestjs/swagger';

/** The answers of the import routes, as /docs describes them. */

export class ImportCountsDto {
  @ApiProperty({ type: 'integer', description: 'answer records read (Delighted survey_responses, or CSV rows), readable or not' }) answers: number;
  @ApiProperty({ type: 'integer', description: 'answers imported now: rows of the NPS reports, never of the response rate' }) imported: number;
  @ApiProperty({ type: 'integer', description: 'answers whose key (source, original id) was imported before: left unchanged' }) alreadyImported: number;
  @ApiProperty({ type: 'integer', description: 'imported answers matched to a CRM contact by email (case-insensitive)' }) matched: number;
  @ApiProperty({ type: 'integer', description: 'imported answers kept without a contact; matched when the email appears in a later CRM sync' }) unmatched: number;
  @ApiProperty({ type: 'integer', description: 'answers of other survey types (CSAT, CES, …), skipped' }) notNps: number;
  @ApiProperty({ type: 'integer', description: 'records refused (each listed in refusals, up to 1,000)' }) refused: number;
  @ApiProperty({ type: 'integer', description: 'imported answers at most 30 days old, followed up like a fresh answer (older ones never are)' }) followedUp: number;
  @ApiProperty({ type: 'integer', description: 'people records read (Delighted people, and persons expanded in answers)' }) people: number;
  @ApiProperty({ type: 'integer', description: 'people kept now (their last sent time counts for the 30-day suppression)' }) peopleImported: number;
  @ApiProperty({ type: 'integer', description: 'unsubscribe and bounce records read' }) optOuts: number;
  @ApiProperty({ type: 'integer', description: 'addresses unsubscribed by this import (never surveyed again)' }) unsubscribed: number;
}

export class ImportRefusalDto {
  @ApiProperty({ example: 'survey_responses.json', description: 'the file, by the name it was given' }) file: string;
  @ApiProperty({ type: 'integer', example: 12, description: 'the record number in the file (1 = the first record; a CSV header is row 0)' }) row: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 13, description: 'the line the record ends on (CSV and JSON lines; null in a JSON array)' }) line: number | null;
  @ApiProperty({
    enum: ['no_email', 'invalid_email', 'invalid_score', 'invalid_date', 'missing_id', 'missing_survey_type', 'invalid_stream', 'invalid_trigger', 'invalid_record'],
  })
  reason: string;
  @ApiProperty({ example: 'score 11 is not a whole number from 0 to 10' }) detail: string;
}

export class ImportFileDto {
  @ApiProperty({ example: 'survey_responses.json' }) name: string;
  @ApiProperty({ enum: ['survey_responses', 'people', 'unsubscribes', 'bounces', 'csv'] }) kind: string;
  @ApiProperty({ type: 'integer' }) bytes: number;
}

export class ImportSummaryDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for a dry run (nothing is kept)' }) id: string | null;
  @ApiProperty({ description: 'a preview: the same checks and counts, nothing written' }) dryRun: boolean;
  @ApiProperty({ enum: ['delighted', 'csv'] }) kind: string;
  @ApiProperty({ example: 'delighted', description: "the key namespace: an answer's key is (source, original id)" }) source: string;
  @ApiProperty({
    enum: ['running', 'succeeded', 'failed', 'interrupted'],
    description: 'failed: stopped by a file it could not read on (error says why; what was written stays). interrupted: its process stopped; importing again adds the rest',
  })
  status: string;
  @ApiProperty({ type: [ImportFileDto] }) files: ImportFileDto[];
  @ApiProperty({ type: ImportCountsDto }) counts: ImportCountsDto;
  @ApiProperty({ type: [ImportRefusalDto], description: 'the first 1,000 refused records in file order (empty in the list of imports)' }) refusals: ImportRefusalDto[];
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
}
