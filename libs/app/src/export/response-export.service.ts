import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  BEFORE_EVERY_RESPONSE,
  ExportedResponse,
  ExportResponsesRepository,
  FEED_START,
  FeedPosition,
  ResponseExportFilter,
} from '@libs/db/src/repositories/export-responses.repository';
import type { SurveyStream } from '@libs/db/src/row-values';

/** Rows read per statement: memory stays flat however many responses an export takes. */
const PAGE = 1_000;

/** One page of the warehouse feed: its responses in cursor order, and where the next call starts. */
export interface ResponseFeedPage {
  /** Give it back as `since`; the same cursor when nothing changed. */
  nextCursor: string;
  responses: AsyncIterable<ExportedResponse>;
}

const CURSOR = /^(-infinity|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A cursor is opaque to callers: base64url of "<updated_at>|<id>". */
export function encodeFeedCursor(position: FeedPosition): string {
  return Buffer.from(`${position.updatedAt}|${position.id}`).toString('base64url');
}

/** The position a cursor names, or null when it is not one this feed handed out (a day that does not exist included). */
export function decodeFeedCursor(cursor: string): FeedPosition | null {
  const match = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? CURSOR.exec(Buffer.from(cursor, 'base64url').toString()) : null;
  if (!match) return null;
  const [, updatedAt, id] = match;
  if (updatedAt !== '-infinity') {
    const at = new Date(updatedAt);
    if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 23) !== updatedAt.slice(0, 23)) return null;
  }
  return { updatedAt, id };
}

/**
 * Yields `first`, then each next page `read` returns after the last row of the one before, until
 * a short page: a keyset walk (no OFFSET). The next page is read while this one is being sent, so
 * the database and the client work at once; at most two pages are in memory.
 */
async function* walk(first: ExportedResponse[], read: (last: ExportedResponse) => Promise<ExportedResponse[]>): AsyncGenerator<ExportedResponse> {
  let rows = first;
  while (rows.length) {
    const next = rows.length < PAGE ? null : read(rows[rows.length - 1]);
    // A client that leaves mid-page ends the walk with this read still running: its failure then is nobody's to hear.
    next?.catch(() => undefined);
    // Each row is let go once sent, so a page's sent rows die young instead of outliving the page.
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      rows[i] = undefined as unknown as ExportedResponse;
      yield row;
    }
    if (!next) return;
    rows = await next;
  }
}

/**
 * Responses leaving the product (issue 15 "Exports"): every matching response for a file, and a
 * cursor feed for warehouses. Both read page by page and start reading before the caller answers,
 * so a database that is down is an error status, not a truncated file.
 */
@Injectable()
export class ResponseExportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every response the filter takes, each once, in id order (rows changed meanwhile appear as their page reads them). */
  async responses(filter: ResponseExportFilter): Promise<AsyncIterable<ExportedResponse>> {
    const repository = new ExportResponsesRepository(this.db.manager);
    const first = await repository.pageById(filter, BEFORE_EVERY_RESPONSE, PAGE);
    return walk(first, (last) => repository.pageById(filter, last.id, PAGE));
  }

  /**
   * Up to `limit` responses changed after the cursor `since` (from the start without one), in
   * (updated_at, id) order. The page's end is fixed before the first row is sent, so the next
   * cursor can travel in the headers; a response changed later comes again in a later page.
   */
  async feed(since: string | null, limit: number, stream: SurveyStream | null): Promise<ResponseFeedPage> {
    const after = since === null ? FEED_START : decodeFeedCursor(since);
    if (!after) throw new BadRequestException(['since: must be a cursor this feed gave (X-Next-Cursor), or left out to start from the beginning']);
    const repository = new ExportResponsesRepository(this.db.manager);
    const end = await repository.feedPageEnd(stream, after, limit);
    if (!end) return { nextCursor: encodeFeedCursor(after), responses: walk([], () => Promise.resolve([])) };
    const first = await repository.feedPage(stream, after, end, PAGE);
    const toPosition = (row: ExportedResponse): FeedPosition => ({ updatedAt: row.updatedAt, id: row.id });
    return { nextCursor: encodeFeedCursor(end), responses: walk(first, (last) => repository.feedPage(stream, toPosition(last), end, PAGE)) };
  }
}
