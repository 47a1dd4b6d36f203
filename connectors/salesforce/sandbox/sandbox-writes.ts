import { salesforceDescriptor } from '../descriptor';
import { KEY_PREFIX, salesforceId } from './salesforce-ids';
import { FieldSchema, ObjectSchema, TASK_CLOSED_STATUSES } from './sandbox-schema';
import { Row, SandboxStore } from './sandbox-store';

/** One record's outcome, as sObject Collections answers it. */
export interface SaveResult {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

type Input = Record<string, unknown>;
type Failure = SaveResult['errors'][number];

const errorBody = (errorCode: string, message: string) => [{ message, errorCode, fields: [] as string[] }];
const fail = (statusCode: string, message: string, fields: string[] = []): Failure => ({ statusCode, message, fields });
/** Fields Salesforce sets itself: a client writing them gets INVALID_FIELD_FOR_INSERT_UPDATE. */
const SYSTEM_FIELDS = new Set(['id', 'isdeleted', 'systemmodstamp', 'isclosed', 'completeddatetime', 'lastmodifieddate']);
const REQUIRED: Record<string, string[]> = { Task: ['Subject'] };
const ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The sObject Collections resource (POST creates, PATCH updates), ≤ 200 records a request,
 * validated per record like Salesforce: required fields, restricted picklists, references that
 * must name a live row of the right object, fields the describe does not have. allOrNone
 * defaults to false; with true, one failure rolls the whole request back.
 */
export class CollectionWrites {
  private createdTasks = 0;

  constructor(private readonly store: SandboxStore) {}

  /** [status, body] for /composite/sobjects. */
  handle(method: string, text: string): [number, unknown] {
    if (method !== 'POST' && method !== 'PATCH') {
      return [405, errorBody('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are POST, PATCH`)];
    }
    let body: { allOrNone?: unknown; records?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return [400, errorBody('JSON_PARSER_ERROR', 'The request body is not valid JSON')];
    }
    if (!body || !Array.isArray(body.records) || body.records.some((r) => typeof r !== 'object' || r === null)) {
      return [400, errorBody('JSON_PARSER_ERROR', 'records must be an array of sObjects')];
    }
    if (body.records.length > salesforceDescriptor.collectionBatchSize) {
      return [400, errorBody('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${salesforceDescriptor.collectionBatchSize} records into this call`)];
    }
    const records = body.records as Input[];
    const checked = records.map((r) => (method === 'POST' ? this.checkCreate(r) : this.checkUpdate(r)));
    const failed = checked.some((c) => c.error);
    if (failed && body.allOrNone === true) {
      const rolledBack = fail('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header');
      return [200, checked.map((c) => ({ success: false, errors: [c.error ?? rolledBack] }))];
    }
    const stamp = this.store.nextStamp();
    return [200, checked.map((c): SaveResult => (c.error ? { ...(c.id ? { id: c.id } : {}), success: false, errors: [c.error] } : { id: c.apply(stamp), success: true, errors: [] }))];
  }

  /** Test control: the task is done, as a CSM would close it (one new SystemModstamp). */
  completeTask(id: string): Row {
    const row = this.store.get(id);
    if (!row || row.IsDeleted || !id.startsWith(KEY_PREFIX.Task)) throw new Error(`no task ${id}`);
    const stamp = this.store.nextStamp();
    Object.assign(row, { Status: 'Completed', IsClosed: true, CompletedDateTime: stamp, LastModifiedDate: stamp, SystemModstamp: stamp });
    return row;
  }

  tasks(): Row[] {
    return this.store.rows('Task').filter((r) => !r.IsDeleted);
  }

  private checkCreate(record: Input): { error?: Failure; id?: string; apply: (stamp: number) => string } {
    const type = typeOf(record);
    const schema = type === 'Task' ? this.store.objectSchema('Task') : undefined;
    const none = () => '';
    if (!schema) return { error: fail('INVALID_TYPE', `sObject type '${type ?? ''}' is not supported by this sandbox for create`), apply: none };
    const values = this.checkFields(schema, record, new Set(['attributes']));
    if ('error' in values) return { error: values.error, apply: none };
    const missing = (REQUIRED.Task ?? []).filter((f) => values.row[f] === undefined || values.row[f] === null || values.row[f] === '');
    if (missing.length > 0) return { error: fail('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing), apply: none };
    return {
      apply: (stamp) => {
        const id = salesforceId(KEY_PREFIX.Task, ++this.createdTasks);
        const status = (values.row.Status as string | undefined) ?? 'Not Started';
        const closed = TASK_CLOSED_STATUSES.includes(status);
        const row: Row = { Priority: 'Normal', ...values.row, Id: id, IsDeleted: false, Status: status, IsClosed: closed, CompletedDateTime: closed ? stamp : null, LastModifiedDate: stamp, SystemModstamp: stamp };
        this.store.insert('Task', row);
        return id;
      },
    };
  }

  private checkUpdate(record: Input): { error?: Failure; id?: string; apply: (stamp: number) => string } {
    const rawId = record.Id ?? record.id;
    const id = typeof rawId === 'string' ? rawId : undefined;
    const none = () => '';
    if (!id || !ID.test(id)) return { error: fail('MALFORMED_ID', `malformed id ${String(rawId)}`, ['Id']), apply: none };
    const row = this.store.get(id);
    const type = typeOf(record);
    const schema = type ? this.store.objectSchema(type) : undefined;
    if (!schema || type !== 'Account') return { id, error: fail('INVALID_TYPE', `sObject type '${type ?? ''}' is not supported by this sandbox for update`), apply: none };
    if (!row || !id.startsWith(KEY_PREFIX.Account)) return { id, error: fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['Id']), apply: none };
    if (row.IsDeleted) return { id, error: fail('ENTITY_IS_DELETED', 'entity is deleted'), apply: none };
    const values = this.checkFields(schema, record, new Set(['attributes', 'id']));
    if ('error' in values) return { id, error: values.error, apply: none };
    return {
      id,
      apply: (stamp) => {
        Object.assign(row, values.row, { SystemModstamp: stamp });
        return id;
      },
    };
  }

  /** The record's fields by their API names, or the first field Salesforce would refuse. */
  private checkFields(schema: ObjectSchema, record: Input, skip: Set<string>): { row: Input } | { error: Failure } {
    const row: Input = {};
    for (const [name, value] of Object.entries(record)) {
      if (skip.has(name.toLowerCase())) continue;
      const field = schema.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
      if (!field) return { error: fail('INVALID_FIELD', `No such column '${name}' on sobject of type ${schema.name}`, [name]) };
      if (SYSTEM_FIELDS.has(field.name.toLowerCase())) {
        return { error: fail('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, [field.name]) };
      }
      const problem = this.checkValue(field, value);
      if (problem) return { error: problem };
      row[field.name] = value;
    }
    return { row };
  }

  private checkValue(field: FieldSchema, value: unknown): Failure | undefined {
    if (value === null) return undefined;
    const wrongType = () => fail('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${JSON.stringify(value)}`, [field.name]);
    switch (field.type) {
      case 'reference': {
        const target = typeof value === 'string' ? this.store.get(value) : undefined;
        const prefix = KEY_PREFIX[field.referenceTo as keyof typeof KEY_PREFIX];
        if (!target || target.IsDeleted || !target.Id.startsWith(prefix)) {
          return fail('INVALID_CROSS_REFERENCE_KEY', `${field.label}: id value of incorrect type: ${String(value)}`, [field.name]);
        }
        return undefined;
      }
      case 'picklist':
        if (typeof value !== 'string' || !(field.picklistValues ?? []).includes(value)) {
          return fail('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${String(value)}`, [field.name]);
        }
        return undefined;
      case 'date':
        return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : wrongType();
      case 'boolean':
        return typeof value === 'boolean' ? undefined : wrongType();
      case 'currency':
      case 'double':
      case 'int':
        return typeof value === 'number' && Number.isFinite(value) ? undefined : wrongType();
      default:
        return typeof value === 'string' ? undefined : wrongType();
    }
  }
}

function typeOf(record: Input): string | undefined {
  const attributes = record.attributes as { type?: unknown } | undefined;
  return typeof attributes?.type === 'string' ? attributes.type : undefined;
}
