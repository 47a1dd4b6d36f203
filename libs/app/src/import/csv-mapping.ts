import { DEFAULT_IMPORT_TRIGGER, Stream, Trigger, TRIGGER_STREAM } from '@libs/nps/src';
import { ImportInputError } from './import-input-error';
import { unstorableText } from './storable-text';

/** The CSV columns a mapping can name, by role; the three required ones first. */
export const MAPPED_COLUMNS = ['email', 'score', 'created_at', 'id', 'comment', 'stream', 'trigger', 'tags', 'name', 'survey_type'] as const;
export type MappedColumn = (typeof MAPPED_COLUMNS)[number];
const REQUIRED: readonly MappedColumn[] = ['email', 'score', 'created_at'];

/**
 * How a CSV's columns become answers (README "Importing history"):
 * ```json
 * { "source": "qualtrics", "columns": { "email": "Email", "score": "Likelihood", "created_at": "Date", "id": "Response ID",
 *   "comment": "Why", "tags": "Tags" }, "stream": "relational", "properties": ["Plan", "Region"] }
 * ```
 */
export interface CsvMapping {
  /** The key namespace: (source, id) is an answer's key, so importing the same rows again adds nothing. */
  source: string;
  /** Header names of the columns holding each value. */
  columns: Partial<Record<MappedColumn, string>>;
  /** The stream and trigger of rows whose columns are absent or empty (rules §10: relational unless mapped). */
  stream: Stream;
  trigger: Trigger;
  delimiter: string;
  tagSeparator: string;
  /** Columns kept as person properties; null: every column not mapped above. */
  properties: string[] | null;
}

const TOP_LEVEL = ['source', 'columns', 'stream', 'trigger', 'delimiter', 'tagSeparator', 'properties'];
const SOURCE = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;

/** A mapping file's JSON, checked; every problem names its field (`mapping.columns.score: …`). */
export function parseCsvMapping(raw: unknown): CsvMapping {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ImportInputError(['mapping: must be a JSON object with "columns"']);
  const unstorable = unstorableText(raw);
  if (unstorable) throw new ImportInputError([`mapping: ${unstorable}`]);
  const given = raw as Record<string, unknown>;
  for (const key of Object.keys(given)) if (!TOP_LEVEL.includes(key)) problems.push(`mapping.${key}: is not a mapping field (fields: ${TOP_LEVEL.join(', ')})`);

  const source = given.source === undefined ? 'csv' : given.source;
  if (typeof source !== 'string' || !SOURCE.test(source))
    problems.push('mapping.source: must be 1 to 64 lower-case letters, digits, "_", ".", ":" or "-", starting with a letter or digit');

  const columns: Partial<Record<MappedColumn, string>> = {};
  if (typeof given.columns !== 'object' || given.columns === null || Array.isArray(given.columns)) {
    problems.push(`mapping.columns: must be an object naming the CSV column of each of ${MAPPED_COLUMNS.join(', ')} (${REQUIRED.join(', ')} required)`);
  } else {
    const named = given.columns as Record<string, unknown>;
    for (const [role, header] of Object.entries(named)) {
      if (!(MAPPED_COLUMNS as readonly string[]).includes(role)) problems.push(`mapping.columns.${role}: is not a mapped value (values: ${MAPPED_COLUMNS.join(', ')})`);
      else if (typeof header !== 'string' || header.trim() === '') problems.push(`mapping.columns.${role}: must be the name of a CSV column (non-empty text)`);
      else columns[role as MappedColumn] = header;
    }
    for (const role of REQUIRED) if (!(role in named)) problems.push(`mapping.columns.${role}: is required (the name of the column holding the ${describe(role)})`);
    const headers = Object.values(columns);
    const repeated = headers.filter((h, i) => headers.indexOf(h) !== i);
    if (repeated.length) problems.push(`mapping.columns: column "${repeated[0]}" is mapped twice`);
  }

  const stream = given.stream === undefined ? null : given.stream;
  if (stream !== null && stream !== 'relational' && stream !== 'transactional') problems.push('mapping.stream: must be relational or transactional');
  const trigger = given.trigger === undefined ? null : given.trigger;
  if (trigger !== null && (typeof trigger !== 'string' || !(trigger in TRIGGER_STREAM))) problems.push(`mapping.trigger: must be one of ${Object.keys(TRIGGER_STREAM).join(', ')}`);
  else if (trigger !== null && stream !== null && TRIGGER_STREAM[trigger as Trigger] !== stream)
    problems.push(`mapping.trigger: ${String(trigger)} belongs to the ${TRIGGER_STREAM[trigger as Trigger]} stream, not ${String(stream)}`);

  const delimiter = given.delimiter === undefined ? ',' : given.delimiter;
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || /["\r\n]/.test(delimiter)) problems.push('mapping.delimiter: must be one character (not a quote or a line break)');
  const tagSeparator = given.tagSeparator === undefined ? ',' : given.tagSeparator;
  if (typeof tagSeparator !== 'string' || tagSeparator.length < 1 || tagSeparator.length > 5) problems.push('mapping.tagSeparator: must be 1 to 5 characters');

  const properties = given.properties === undefined ? null : given.properties;
  if (properties !== null && (!Array.isArray(properties) || properties.some((p) => typeof p !== 'string' || p.trim() === ''))) {
    problems.push('mapping.properties: must be a list of CSV column names kept as person properties (leave it out to keep every unmapped column)');
  }
  if (problems.length) throw new ImportInputError(problems);

  const finalStream: Stream = (stream as Stream | null) ?? (trigger ? TRIGGER_STREAM[trigger as Trigger] : 'relational');
  return {
    source: source as string,
    columns,
    stream: finalStream,
    trigger: (trigger as Trigger | null) ?? DEFAULT_IMPORT_TRIGGER[finalStream],
    delimiter: delimiter as string,
    tagSeparator: tagSeparator as string,
    properties: properties as string[] | null,
  };
}

function describe(role: MappedColumn): string {
  return { email: "respondent's email", score: '0–10 score', created_at: 'answer time (ISO 8601 or Unix seconds)' }[role as 'email'] ?? role;
}

/** Where each mapped value and property sits in a row, checked against the file's header. */
export interface CsvLayout {
  index: Partial<Record<MappedColumn, number>>;
  /** [property name, column index] */
  properties: Array<[string, number]>;
  width: number;
}

/** The layout of a file with this header; a mapped column the header lacks is a problem naming the field. */
export function csvLayout(mapping: CsvMapping, header: readonly string[], file: string): CsvLayout {
  const names = header.map((h) => h.trim());
  const problems: string[] = [];
  const find = (name: string) => names.indexOf(name.trim());
  const index: Partial<Record<MappedColumn, number>> = {};
  for (const [role, name] of Object.entries(mapping.columns) as Array<[MappedColumn, string]>) {
    const at = find(name);
    if (at < 0) problems.push(`mapping.columns.${role}: column "${name}" is not in the header of ${file} (columns: ${names.join(', ').slice(0, 300)})`);
    else index[role] = at;
  }
  const properties: Array<[string, number]> = [];
  if (mapping.properties) {
    for (const name of mapping.properties) {
      const at = find(name);
      if (at < 0) problems.push(`mapping.properties: column "${name}" is not in the header of ${file}`);
      else properties.push([name.trim(), at]);
    }
  } else {
    const mapped = new Set(Object.values(index));
    names.forEach((name, at) => {
      if (!mapped.has(at) && name !== '') properties.push([name, at]);
    });
  }
  if (problems.length) throw new ImportInputError(problems);
  return { index, properties, width: names.length };
}
