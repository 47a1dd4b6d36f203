import { createHash } from 'node:crypto';
import { CsvLayout, csvLayout, CsvMapping } from './csv-mapping';
import { ImportInputError } from './import-input-error';
import { SourceAnswer, SourceItem } from './source-answer';
import { CsvRecord, csvRecordRuns } from './source-records';
import { unstorableFields } from './storable-text';

/** A CSV file of an import: where it is read from and the name refusals give. */
export interface CsvFile {
  path: string;
  name: string;
}

/**
 * Without an id column, an answer's key is made from what identifies it: the same email, time,
 * score and comment are the same answer however often the file is imported.
 */
export function contentKey(email: string, answeredAt: string, score: string, comment: string): string {
  return `sha256:${createHash('sha256').update([email.trim().toLowerCase(), answeredAt.trim(), score.trim(), comment.trim()].join('\u0000')).digest('hex').slice(0, 40)}`;
}

/** Items handed on at once: one step of the reading loop per chunk, not per row. */
const CHUNK = 500;

/** The rows of a CSV as answers through its mapping, in chunks; the header must hold every mapped column. */
export async function* csvItems(file: CsvFile, mapping: CsvMapping): AsyncGenerator<SourceItem[]> {
  let layout: CsvLayout | null = null;
  let chunk: SourceItem[] = [];
  try {
    for await (const records of csvRecordRuns(file.path, mapping.delimiter)) {
      for (const record of records) {
        if (!layout) {
          layout = csvLayout(mapping, record.fields, file.name);
          continue;
        }
        chunk.push(itemOf(record, layout, mapping, file.name));
        if (chunk.length >= CHUNK) {
          yield chunk;
          chunk = [];
        }
      }
    }
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    const code = (error as { code?: string }).code;
    // csv-parse's own errors (an unclosed quote, a bad delimiter): the file cannot be read on.
    if (code?.startsWith('CSV_')) throw new Error(`${file.name}: ${(error as Error).message}`, { cause: error });
    throw error;
  }
  if (!layout) throw new ImportInputError([`file: ${file.name} is empty (a CSV with a header row is expected)`]);
  if (chunk.length) yield chunk;
}

function itemOf(record: CsvRecord, layout: CsvLayout, mapping: CsvMapping, file: string): SourceItem {
  const { fields } = record;
  if (fields.length !== layout.width) {
    return {
      kind: 'refused',
      refusal: { file, row: record.row, line: record.line, reason: 'invalid_record', detail: `the row has ${fields.length} fields, the header ${layout.width}` },
      answer: true,
    };
  }
  const unstorable = unstorableFields(fields);
  if (unstorable) return { kind: 'refused', refusal: { file, row: record.row, line: record.line, reason: 'invalid_record', detail: `the row ${unstorable}` }, answer: true };
  return { kind: 'answer', answer: answerOf(fields, layout, mapping, file, record) };
}

/** A mapped cell, trimmed; null when the column is not mapped or the cell is blank. */
function cell(fields: readonly string[], at: number | undefined): string | null {
  if (at === undefined) return null;
  const value = fields[at].trim();
  return value === '' ? null : value;
}

function answerOf(fields: string[], layout: CsvLayout, mapping: CsvMapping, file: string, record: CsvRecord): SourceAnswer {
  const { index } = layout;
  const email = cell(fields, index.email);
  const score = cell(fields, index.score);
  const answeredAt = cell(fields, index.created_at);
  const comment = cell(fields, index.comment);
  const properties: Record<string, string> = {};
  for (const [name, at] of layout.properties) if (fields[at] !== '') properties[name] = fields[at];
  const tags = cell(fields, index.tags);
  const stream = cell(fields, index.stream);
  const trigger = cell(fields, index.trigger);
  const answer: SourceAnswer = {
    file,
    row: record.row,
    line: record.line,
    originalId: index.id === undefined ? contentKey(email ?? '', answeredAt ?? '', score ?? '', comment ?? '') : cell(fields, index.id),
    score,
    email,
    personRef: null,
    name: cell(fields, index.name),
    comment,
    answeredAt,
    changedAt: null,
    // A row naming only its stream (or trigger) takes that stream's default trigger (or that trigger's stream).
    stream: stream ?? (trigger ? null : mapping.stream),
    trigger: trigger ?? (stream ? null : mapping.trigger),
    tags: tags ? splitTags(tags, mapping.tagSeparator) : [],
    properties,
    details: {},
  };
  if (index.survey_type !== undefined) answer.surveyType = cell(fields, index.survey_type);
  return answer;
}

function splitTags(cell: string, separator: string): string[] {
  const tags: string[] = [];
  for (const tag of cell.split(separator)) {
    const trimmed = tag.trim();
    if (trimmed) tags.push(trimmed);
  }
  return tags;
}
