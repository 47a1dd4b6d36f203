import { KEY_PREFIX, salesforceId } from './salesforce-ids';
import { Row, SandboxStore } from './sandbox-store';
import { CompiledQuery, compileSoql, runQuery, serializeRow } from './soql-engine';

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

interface OpenCursor {
  query: CompiledQuery;
  /** References to the matching rows, fixed when the query ran; pages read their current values. */
  rows: Row[];
}

/**
 * The query and queryAll resources with Salesforce's query locators: a result over one page
 * keeps its matching row references under a locator id, and nextRecordsUrl
 * (/services/data/vXX.X/query/<locator>-<offset>) serves the next slice. Only the requested
 * slice is ever serialized. Like Salesforce, a user has a bounded number of open cursors: the
 * oldest is dropped (INVALID_QUERY_LOCATOR when asked for later).
 */
export class QueryCursors {
  private readonly open = new Map<string, OpenCursor>();
  private opened = 0;

  constructor(
    private readonly store: SandboxStore,
    private readonly pageSize: number,
    private readonly maxOpen = 50,
  ) {}

  /** Throws SoqlError for statements Salesforce would refuse. */
  run(soql: string, includeDeleted: boolean, version: string): QueryPage {
    const query = compileSoql(soql, this.store);
    const rows = runQuery(query, this.store.rows(query.schema.name), includeDeleted);
    let locator: string | undefined;
    if (rows.length > this.pageSize) {
      locator = salesforceId(KEY_PREFIX.QueryLocator, ++this.opened);
      this.open.set(locator, { query, rows });
      if (this.open.size > this.maxOpen) this.open.delete(this.open.keys().next().value as string);
    }
    return this.page(locator, { query, rows }, 0, version);
  }

  /** The page at `offset` of an open locator; undefined when the locator is unknown or closed. */
  more(locator: string, offset: number, version: string): QueryPage | undefined {
    const cursor = this.open.get(locator);
    if (!cursor || offset <= 0 || offset >= cursor.rows.length) return undefined;
    return this.page(locator, cursor, offset, version);
  }

  private page(locator: string | undefined, cursor: OpenCursor, offset: number, version: string): QueryPage {
    const end = Math.min(offset + this.pageSize, cursor.rows.length);
    const done = end >= cursor.rows.length;
    if (done && locator) this.open.delete(locator);
    const records = cursor.rows.slice(offset, end).map((row) => serializeRow(row, cursor.query, this.store, version));
    return {
      totalSize: cursor.rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${end}` }),
      records,
    };
  }
}
