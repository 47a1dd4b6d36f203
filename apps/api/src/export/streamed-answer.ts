import { Logger } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const log = new Logger('Export');

/**
 * Sends `body` with backpressure (a slow client slows the reading, memory stays flat). Once the
 * first byte is out the status is spent: a failure after it can only cut the connection, which a
 * client sees as a truncated answer, never as a complete one.
 */
async function send(res: Response, headers: Record<string, string>, body: Readable, transform?: Transform): Promise<void> {
  res.status(200).set(headers);
  try {
    await (transform ? pipeline(body, transform, res) : pipeline(body, res));
  } catch (error) {
    log.warn(`export stopped before its end: ${(error as Error).message}`);
    res.destroy();
  }
}

/** Records as a CSV file download: a header row of `columns`, then one line per record. */
export function sendCsv(res: Response, filename: string, columns: readonly string[], records: AsyncIterable<Record<string, string>>): Promise<void> {
  const headers = { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"` };
  return send(res, headers, Readable.from(records), stringify({ header: true, columns: [...columns] }));
}

/** One JSON document per line (application/x-ndjson). */
export function sendJsonLines(res: Response, headers: Record<string, string>, rows: AsyncIterable<unknown>): Promise<void> {
  return send(res, { 'Content-Type': 'application/x-ndjson; charset=utf-8', ...headers }, Readable.from(lines(rows)));
}

/** One JSON document: `prefix`, the rows as an array, `suffix` (e.g. `{"responses":` … `}`), written as the rows come. */
export function sendJsonArray(res: Response, headers: Record<string, string>, rows: AsyncIterable<unknown>, prefix = '', suffix = ''): Promise<void> {
  return send(res, { 'Content-Type': 'application/json; charset=utf-8', ...headers }, Readable.from(array(rows, prefix, suffix)));
}

async function* lines(rows: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const row of rows) yield JSON.stringify(row) + '\n';
}

async function* array(rows: AsyncIterable<unknown>, prefix: string, suffix: string): AsyncGenerator<string> {
  let separator = `${prefix}[`;
  for await (const row of rows) {
    yield separator + JSON.stringify(row);
    separator = ',';
  }
  yield (separator === ',' ? ']' : `${separator}]`) + suffix;
}

/** Records made from rows as they come. */
export async function* mapped<T, R>(rows: AsyncIterable<T>, map: (row: T) => R): AsyncGenerator<R> {
  for await (const row of rows) yield map(row);
}
