import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseImportInstant } from '@libs/nps/src';
import { ImportInputError } from './import-input-error';
import { SourceItem, SourcePerson, SourceRefusal } from './source-answer';
import { jsonRecords, SourceRecord } from './source-records';
import { unstorableText } from './storable-text';

/**
 * A Delighted export as its API documents the records: survey_responses (id, person — an id, or
 * the person object when expanded —, survey_type, score, comment, permalink, created_at and
 * updated_at in Unix seconds, person_properties, notes, tags, additional_answers), people (id,
 * email, name, created_at, last_sent_at, last_responded_at, next_survey_scheduled_at),
 * unsubscribes (person_id, email, name, unsubscribed_at) and bounces (… bounced_at), each a JSON
 * array or JSON lines. People come first so the answers naming a person id find their email.
 */
export const DELIGHTED_FILE_KINDS = ['people', 'unsubscribes', 'bounces', 'survey_responses'] as const;
export type DelightedFileKind = (typeof DELIGHTED_FILE_KINDS)[number];

export const DELIGHTED_SOURCE = 'delighted';

/** A file of an import: where it is read from, the name refusals give, and what it holds. */
export interface DelightedFile {
  kind: DelightedFileKind;
  path: string;
  name: string;
}

const JSON_EXTENSIONS = ['.json', '.jsonl', '.ndjson'];

/** A file's kind from its name (`survey_responses.json`, `people-2.jsonl`, …), or null. */
export function delightedKindOf(name: string): DelightedFileKind | null {
  const stem = basename(name, extname(name)).toLowerCase();
  return DELIGHTED_FILE_KINDS.find((kind) => stem === kind || stem.startsWith(`${kind}-`) || stem.startsWith(`${kind}_`) || stem.startsWith(`${kind}.`)) ?? null;
}

/** The export's files in a folder, in reading order; an unknown JSON file or a folder without one is refused. */
export async function delightedFilesIn(folder: string): Promise<DelightedFile[]> {
  let entries: string[];
  try {
    if (!(await stat(folder)).isDirectory()) throw new ImportInputError([`path: ${folder} is not a folder (a Delighted export is a folder of JSON files)`]);
    entries = await readdir(folder);
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    throw new ImportInputError([`path: cannot read ${folder} (${(error as Error).message})`]);
  }
  const files: DelightedFile[] = [];
  const unknown: string[] = [];
  for (const name of entries.sort()) {
    if (name.startsWith('.') || !JSON_EXTENSIONS.includes(extname(name).toLowerCase())) continue;
    const kind = delightedKindOf(name);
    if (kind) files.push({ kind, path: join(folder, name), name });
    else unknown.push(name);
  }
  if (unknown.length) {
    throw new ImportInputError(unknown.map((name) => `path: ${name} is not a Delighted export file (names start with ${DELIGHTED_FILE_KINDS.join(', ')})`));
  }
  if (!files.some((f) => f.kind === 'survey_responses' || f.kind === 'unsubscribes' || f.kind === 'bounces')) {
    throw new ImportInputError([`path: ${folder} holds no survey_responses, unsubscribes or bounces file (.json or .jsonl)`]);
  }
  return orderDelightedFiles(files);
}

/** People, then unsubscribes and bounces, then answers; by name within a kind. */
export function orderDelightedFiles(files: DelightedFile[]): DelightedFile[] {
  return [...files].sort((a, b) => DELIGHTED_FILE_KINDS.indexOf(a.kind) - DELIGHTED_FILE_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Delighted ids are strings ("1"); numbers are accepted as their digits. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

const textOf = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const instantOf = (value: unknown): Date | null => (value === null || value === undefined ? null : parseImportInstant(value));
const emailOf = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : null);

/** Tags are listed as text; an object tag is read by its name (or text). */
function tagsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((tag) => (typeof tag === 'string' ? tag : isObject(tag) ? (textOf(tag.name) ?? textOf(tag.text)) : null))
    .filter((tag): tag is string => tag !== null && tag.trim() !== '')
    .map((tag) => tag.trim());
}

function personOf(value: Record<string, unknown>, file: string, row: number, line: number | null): SourcePerson | null {
  const originalId = idOf(value.id);
  if (!originalId) return null;
  return {
    file,
    row,
    line,
    originalId,
    email: emailOf(value.email),
    name: textOf(value.name),
    createdAt: instantOf(value.created_at),
    lastSentAt: instantOf(value.last_sent_at),
    lastRespondedAt: instantOf(value.last_responded_at),
    nextSurveyScheduledAt: instantOf(value.next_survey_scheduled_at),
  };
}

/** Items handed on at once: one step of the reading loop per chunk, not per record. */
const CHUNK = 500;

/** The items of one export file, streamed, in chunks. */
export async function* delightedItems(file: DelightedFile): AsyncGenerator<SourceItem[]> {
  let chunk: SourceItem[] = [];
  try {
    for await (const record of jsonRecords(file.path)) {
      itemsOf(file, record, chunk);
      if (chunk.length >= CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
  } catch (error) {
    // A JSON array that breaks off: the file cannot be read on.
    throw new Error(`${file.name}: ${(error as Error).message}`, { cause: error });
  }
  if (chunk.length) yield chunk;
}

/** The items one record makes (an answer may also name its expanded person), added to `into`. */
function itemsOf(file: DelightedFile, record: SourceRecord<unknown>, into: SourceItem[]): void {
  const answer = file.kind === 'survey_responses';
  const where = { file: file.name, row: record.row, line: record.line };
  const refuse = (reason: SourceRefusal['reason'], detail: string, fromAnswers = answer): void => {
    into.push({ kind: 'refused', refusal: { ...where, reason, detail }, answer: fromAnswers });
  };
  if (record.error !== undefined) return refuse('invalid_record', record.error);
  const value = record.value;
  if (!isObject(value)) return refuse('invalid_record', 'the record is not a JSON object');
  const unstorable = unstorableText(value);
  if (unstorable) return refuse('invalid_record', `the record ${unstorable}`);
  switch (file.kind) {
    case 'people': {
      const person = personOf(value, file.name, record.row, record.line);
      if (person) into.push({ kind: 'person', person });
      else refuse('missing_id', 'the person has no id', false);
      return;
    }
    case 'unsubscribes':
    case 'bounces': {
      const bounce = file.kind === 'bounces';
      const at = instantOf(bounce ? value.bounced_at : value.unsubscribed_at);
      into.push({ kind: 'opt_out', optOut: { ...where, email: value.email, at, origin: bounce ? 'imported_bounce' : 'imported_unsubscribe' } });
      return;
    }
    case 'survey_responses': {
      const expanded = isObject(value.person) ? value.person : null;
      if (expanded) {
        const person = personOf(expanded, file.name, record.row, record.line);
        if (person) into.push({ kind: 'person', person });
      }
      into.push({
        kind: 'answer',
        answer: {
          ...where,
          originalId: idOf(value.id),
          surveyType: value.survey_type ?? null,
          score: value.score,
          email: expanded ? (expanded.email ?? null) : undefined,
          personRef: expanded ? idOf(expanded.id) : idOf(value.person),
          name: expanded ? textOf(expanded.name) : null,
          comment: textOf(value.comment),
          answeredAt: value.created_at,
          changedAt: value.updated_at,
          tags: tagsOf(value.tags),
          properties: isObject(value.person_properties) ? value.person_properties : {},
          details: {
            permalink: value.permalink ?? null,
            notes: Array.isArray(value.notes) ? value.notes : [],
            additionalAnswers: Array.isArray(value.additional_answers) ? value.additional_answers : [],
            updatedAt: value.updated_at ?? null,
          },
        },
      });
      return;
    }
  }
}
