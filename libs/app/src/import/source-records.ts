import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { finished, Readable } from 'node:stream';
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

/** A row of a CSV file: its number (the header is row 0), the line it starts on, and its fields. */
export interface CsvRecord {
  row: number;
  line: number;
  fields: string[];
}

/**
 * The rows of a CSV file, streamed with csv-parse (its header row included, as row 0), each with
 * the line it starts on (a quoted field may span lines; empty lines are skipped but counted).
 * Rows may have more or fewer fields than the header (the caller refuses them).
 */
export async function* csvRecords(path: string, delimiter: string): AsyncGenerator<CsvRecord> {
  for await (const records of csvRecordRuns(path, delimiter)) yield* records;
}

/**
 * The same rows in runs: every row csv-parse has ready at once (a read of the file holds hundreds),
 * so a million rows take a few thousand steps of the reading loop instead of a million awaits.
 * The same rows as csvRecords, in the same order, with the same errors after them.
 */
export async function* csvRecordRuns(path: string, delimiter: string): AsyncGenerator<CsvRecord[]> {
  const parser = createReadStream(path).pipe(parseCsv({ delimiter, bom: true, skip_empty_lines: false, relax_column_count: true }));
  let row = -1;
  let line = 1;
  for await (const run of readyRuns<string[]>(parser)) {
    const records: CsvRecord[] = [];
    for (const fields of run) {
      const start = line;
      line += 1;
      for (const field of fields) for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) line++;
      if (fields.length === 1 && fields[0] === '') continue;
      row++;
      records.push({ row, line: start, fields });
    }
    if (records.length) yield records;
  }
}

/**
 * A readable stream's chunks as Readable's own async iterator gives them (the same chunks, in
 * order, then its error or its end; the stream destroyed when the loop ends, as that iterator
 * does), but every chunk already buffered in one array: one await per run instead of per chunk.
 */
export async function* readyRuns<T>(stream: Readable): AsyncGenerator<T[]> {
  let wake = (): void => undefined;
  const onReadable = () => {
    const resume = wake;
    wake = () => undefined;
    resume();
  };
  stream.on('readable', onReadable);
  // undefined while the stream is open; null once it ended; else its error.
  let error: Error | null | undefined;
  finished(stream, { writable: false }, (err) => {
    error = err ?? null;
    onReadable();
  });
  try {
    for (;;) {
      const run: T[] = [];
      for (let chunk: T | null; !stream.destroyed && (chunk = stream.read() as T | null) !== null;) run.push(chunk);
      if (run.length) yield run;
      else if (error) throw error;
      else if (error === null) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.destroy();
  }
}
