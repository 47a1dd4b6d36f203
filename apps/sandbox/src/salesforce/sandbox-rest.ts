import { QueryCursors } from './sandbox-queries';
import { describeObject } from './sandbox-schema';
import { SandboxStore } from './sandbox-store';
import { ToolingFields } from './sandbox-tooling';
import { CollectionWrites } from './sandbox-writes';
import { SoqlError, soqlErrorMessage } from './soql-parser';

const LOCATOR_PATH = /^\/query(?:All)?\/([A-Za-z0-9]{15,18})-(\d+)\/?$/;
const COLLECTIONS = /^\/composite\/sobjects\/?$/;
const SOBJECT_CREATE = /^\/sobjects\/([A-Za-z0-9_]+)\/?$/;
const CUSTOM_FIELD = /^\/tooling\/sobjects\/CustomField\/?$/i;

export const errorBody = (errorCode: string, message: string) => [{ message, errorCode, fields: [] as string[] }];
const notFound = (): [number, unknown] => [404, errorBody('NOT_FOUND', 'The requested resource does not exist')];
const notAllowed = (method: string, allowed: string): [number, unknown] => [405, errorBody('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`)];

/** The resources under /services/data/vXX.X the sandbox serves, once the session and faults were checked. */
export class RestResources {
  constructor(
    private readonly store: SandboxStore,
    private readonly cursors: QueryCursors,
    private readonly writes: CollectionWrites,
    private readonly tooling: ToolingFields,
    private readonly limits: () => { max: number; remaining: number },
  ) {}

  /** Whether a request writes (the sandbox logs those with their bodies). */
  static isWrite(method: string, path: string): boolean {
    return (method === 'POST' || method === 'PATCH') && (COLLECTIONS.test(path) || SOBJECT_CREATE.test(path) || CUSTOM_FIELD.test(path));
  }

  /** Whether a request creates records through sObject Collections (what failAfterWrite hits). */
  static isCollectionsCreate(method: string, path: string): boolean {
    return method === 'POST' && COLLECTIONS.test(path);
  }

  handle(method: string, version: string, path: string, params: URLSearchParams, body: string): [number, unknown] {
    if (COLLECTIONS.test(path)) return this.writes.handle(method, body);
    if (CUSTOM_FIELD.test(path)) return method === 'POST' ? this.tooling.create(body) : notAllowed(method, 'POST');
    const create = SOBJECT_CREATE.exec(path);
    if (create && method === 'POST') return this.store.objectSchema(create[1]) ? this.writes.createOne(create[1], body) : notFound();
    if (method !== 'GET') return notAllowed(method, 'GET');
    return this.read(version, path, params);
  }

  private read(version: string, path: string, params: URLSearchParams): [number, unknown] {
    const queryAll = /^\/queryAll\/?$/.test(path);
    if (queryAll || /^\/query\/?$/.test(path)) {
      const soql = params.get('q');
      if (!soql) return [400, errorBody('MALFORMED_QUERY', 'A query string has to be specified')];
      try {
        return [200, this.cursors.run(soql, queryAll, version)];
      } catch (error) {
        if (error instanceof SoqlError) return [400, errorBody(error.errorCode, soqlErrorMessage(soql, error))];
        throw error;
      }
    }
    const locator = LOCATOR_PATH.exec(path);
    if (locator) {
      const page = this.cursors.more(locator[1], Number(locator[2]), version);
      return page ? [200, page] : [400, errorBody('INVALID_QUERY_LOCATOR', 'invalid query locator')];
    }
    const describe = /^\/sobjects\/([A-Za-z0-9_]+)\/describe\/?$/.exec(path);
    if (describe) {
      const schema = this.store.objectSchema(describe[1]);
      return schema ? [200, describeObject(schema)] : notFound();
    }
    if (path === '/limits' || path === '/limits/') {
      const { max, remaining } = this.limits();
      return [200, { DailyApiRequests: { Max: max, Remaining: remaining } }];
    }
    return notFound();
  }
}
