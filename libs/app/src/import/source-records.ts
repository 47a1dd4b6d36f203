import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import StreamArray from 'stream-json/streamers/StreamArray';

/** One record of a source file: its number (1-based), its line where the format has lines, and its value or why it is unreadable. */
export type SourceRecord<T> = { row: number; line: number | null; value: T; error?: undefined } | { row: number; line: number | null; value?: undefined; error: string };

/** The first character that is not white space (or a byte order mark), or '' for an empty file. */
async function firstCharacter(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    for (let position = 0; ;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return '';
      const found = buffer
        .toString('utf8', 0, bytesRead)
        .replace(/^\uFEFF/, '')
        .trimStart();
      if (found) return found[0];
      position += bytesRead;
    }
  } finally {
    await file.close();
  }
}

/**
 * The records of a JSON file, streamed: a JSON array (each element; a syntax error ends the file
 * with an error naming it) or JSON lines (each non-empty line; a line that is not JSON is a record
 * with an error, and reading goes on). Memory stays flat whatever the file's size.
 */
export async function* jsonRecords(path: string): AsyncGenerator<SourceRecord<unknown>> {
  const first = await firstCharacter(path);
  if (first === '') return;
  if (first === '[') {
    const elements = createReadStream(path).pipe(StreamArray.withParser());
    for await (const { key, value } of elements as AsyncIterable<{ key: number; value: unknown }>) yield { row: key + 1, line: null, value };
    return;
  }
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  let row = 0;
  for await (const text of lines) {
    line++;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (!trimmed) continue;
    row++;
    try {
      yield { row, line, value: JSON.parse(trimmed) as unknown };
    } catch (error) {
      yield { row, line, error: `line is not JSON (${(error as Error).message})` };
    }
  }
}

/**
 * The rows of a CSV file, streamed with csv-parse (its header row included, as row 0), each with
 * the line it starts on (a quoted field may span lines; empty lines are skipped but counted).
 * Rows may have more or fewer fields than the header (the caller refuses them).
 */
export async function* csvRecords(path: string, delimiter: string): AsyncGenerator<{ row: number; line: number; fields: string[] }> {
  const parser = createReadStream(path).pipe(parseCsv({ delimiter, bom: true, skip_empty_lines: false, relax_column_count: true }));
  let row = -1;
  let line = 1;
  for await (const fields of parser as AsyncIterable<string[]>) {
    const start = line;
    line += 1;
    for (const field of fields) for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) line++;
    if (fields.length === 1 && fields[0] === '') continue;
    row++;
    yield { row, line: start, fields };
  }
}
