import { COLLECTION_MAX_RECORDS } from './salesforce-facts';
import { KEY_PREFIX, salesforceId } from './salesforce-ids';
import { checkValue, deserialize, fail, Failure } from './sandbox-field-values';
import { AccountFieldHistory } from './sandbox-history';
import { ObjectSchema, SYSTEM_FIELDS, TASK_CLOSED_STATUSES } from './sandbox-schema';
import { Row, SandboxStore } from './sandbox-store';

/** One record's outcome, as sObject Collections answers it. */
export interface SaveResult {
  id?: string;
  success: boolean;
  errors: Failure[];
}

type Input = Record<string, unknown>;

/** What the org's setup rules add to the generic checks (sandbox-permissions.ts). */
export interface SetupRules {
  /** Ids that exist though the sandbox keeps no row for them (the integration user). */
  knownIds: ReadonlySet<string>;
  /** Setup-object checks for a row about to be created or changed; undefined when it may be saved. */
  check(type: string, row: Input, existing: Row | undefined): Failure | undefined;
  /** After setup rows were saved: field-level security may have changed. */
  changed(): void;
}

const errorBody = (errorCode: string, message: string) => [{ message, errorCode, fields: [] as string[] }];
const REQUIRED: Record<string, string[]> = {
  Task: ['Subject'],
  PermissionSet: ['Name', 'Label'],
  FieldPermissions: ['ParentId', 'SobjectType', 'Field'],
  PermissionSetAssignment: ['PermissionSetId', 'AssigneeId'],
};
const CREATABLE = new Set(Object.keys(REQUIRED));
const UPDATABLE = new Set(['Account', 'Contact', 'Task', 'FieldPermissions']);
const SETUP = new Set(['PermissionSet', 'FieldPermissions', 'PermissionSetAssignment']);
const ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

class RequestRefused extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

interface Checked {
  id?: string;
  error?: Failure;
  apply: (stamp: number) => string;
}

const none = () => '';

/**
 * sObject Collections (POST creates, PATCH updates) and single-record creates, like Salesforce:
 * the body is deserialized first, so a field the object lacks (or hides) or a value of the
 * wrong JSON type refuses the whole request (400 INVALID_FIELD / JSON_PARSER_ERROR); then each
 * record is saved or refused on its own (required fields, restricted picklists, text length,
 * numeric range, references, read-only fields). ≤ 200 records a request; allOrNone false by
 * default, with true one failure rolls the request back.
 */
export class CollectionWrites {
  constructor(
    private readonly store: SandboxStore,
    private readonly setup: SetupRules,
    /** Field history tracking: told of every Account update before it applies. */
    private readonly history?: AccountFieldHistory,
  ) {}

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
    if (!body || !Array.isArray(body.records) || body.records.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
      return [400, errorBody('JSON_PARSER_ERROR', 'records must be an array of sObjects')];
    }
    if (body.records.length > COLLECTION_MAX_RECORDS) {
      return [400, errorBody('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${COLLECTION_MAX_RECORDS} records into this call`)];
    }
    try {
      return [200, this.save(method, body.records as Input[], body.allOrNone === true)];
    } catch (error) {
      if (error instanceof RequestRefused) return [400, errorBody(error.errorCode, error.message)];
      throw error;
    }
  }

  /** POST /sobjects/{type}: 201 with the id, or 400 with the record's error as an error array. */
  createOne(type: string, text: string): [number, unknown] {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [400, errorBody('JSON_PARSER_ERROR', 'The request body is not valid JSON')];
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return [400, errorBody('JSON_PARSER_ERROR', 'the body must be an sObject')];
    try {
      const [result] = this.save('POST', [{ ...(body as Input), attributes: { type } }], false);
      if (result.success) return [201, { id: result.id, success: true, errors: [] }];
      return [400, result.errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields }))];
    } catch (error) {
      if (error instanceof RequestRefused) return [400, errorBody(error.errorCode, error.message)];
      throw error;
    }
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

  private save(method: 'POST' | 'PATCH', records: Input[], allOrNone: boolean): SaveResult[] {
    const parsed = records.map((record) => this.deserializeRecord(record, method === 'PATCH'));
    const checked = parsed.map((p) => (method === 'POST' ? this.checkCreate(p.schema, p.values) : this.checkUpdate(p.schema, p.values, p.id)));
    if (allOrNone && checked.some((c) => c.error)) {
      const rolledBack = fail('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header');
      return checked.map((c) => ({ success: false, errors: [c.error ?? rolledBack] }));
    }
    const stamp = this.store.nextStamp();
    const results = checked.map((c): SaveResult =>
      c.error ? { ...(c.id ? { id: c.id } : {}), success: false, errors: [c.error] } : { id: c.apply(stamp), success: true, errors: [] },
    );
    if (parsed.some((p, i) => SETUP.has(p.schema.name) && results[i].success)) this.setup.changed();
    return results;
  }

  /** The deserializer's pass: unknown object or field, or a value of the wrong JSON type, refuses the request. */
  private deserializeRecord(record: Input, update: boolean): { schema: ObjectSchema; values: Input; id?: unknown } {
    const type = (record.attributes as { type?: unknown } | undefined)?.type;
    if (typeof type !== 'string') throw new RequestRefused('INVALID_TYPE', 'Each sObject must have attributes with a type');
    const schema = this.store.objectSchema(type);
    if (!schema) throw new RequestRefused('INVALID_TYPE', `sObject type '${type}' is not supported.`);
    const values: Input = {};
    let id: unknown;
    for (const [name, value] of Object.entries(record)) {
      if (name === 'attributes') continue;
      if (update && name.toLowerCase() === 'id') {
        id = value;
        continue;
      }
      const field = schema.fields.find((f) => f.name.toLowerCase() === name.toLowerCase() && f.access !== 'none');
      if (!field) throw new RequestRefused('INVALID_FIELD', `No such column '${name}' on sobject of type ${schema.name}`);
      const parsed = deserialize(field, value);
      if ('parseError' in parsed) throw new RequestRefused('JSON_PARSER_ERROR', parsed.parseError);
      values[field.name] = parsed.value;
    }
    return { schema, values, id };
  }

  private checkCreate(schema: ObjectSchema, input: Input): Checked {
    if (!CREATABLE.has(schema.name)) return { error: fail('INVALID_TYPE', `sObject type '${schema.name}' is not supported by this sandbox for create`), apply: none };
    const values = this.checkFields(schema, input);
    if ('error' in values) return { error: values.error, apply: none };
    const missing = (REQUIRED[schema.name] ?? []).filter((f) => values.row[f] === undefined || values.row[f] === null || values.row[f] === '');
    if (missing.length > 0) return { error: fail('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing), apply: none };
    const refused = this.setup.check(schema.name, values.row, undefined);
    if (refused) return { error: refused, apply: none };
    return {
      apply: (stamp) => {
        const object = schema.name as keyof typeof KEY_PREFIX;
        // Rows are never removed (a delete sets IsDeleted), so numbering after the rows there keeps ids unique, restored rows included.
        const id = salesforceId(KEY_PREFIX[object], this.store.rows(schema.name).length + 1);
        const row: Row = { ...this.defaults(schema.name, values.row, stamp), Id: id, SystemModstamp: stamp };
        this.store.insert(schema.name, row);
        return id;
      },
    };
  }

  /** What Salesforce fills in on create: Task status, priority and dates; IsDeleted where it exists. */
  private defaults(type: string, row: Input, stamp: number): Input {
    if (type !== 'Task') return type === 'PermissionSet' ? { IsOwnedByProfile: false, ...row } : row;
    const status = (row.Status as string | undefined) ?? 'Not Started';
    const closed = TASK_CLOSED_STATUSES.includes(status);
    return {
      Priority: 'Normal',
      ...row,
      IsDeleted: false,
      Status: status,
      IsClosed: closed,
      CompletedDateTime: closed ? stamp : null,
      CreatedDate: stamp,
      LastModifiedDate: stamp,
    };
  }

  private checkUpdate(schema: ObjectSchema, input: Input, rawId: unknown): Checked {
    const id = typeof rawId === 'string' ? rawId : undefined;
    if (!id || !ID.test(id)) return { error: fail('MALFORMED_ID', `malformed id ${String(rawId)}`, ['Id']), apply: none };
    if (!UPDATABLE.has(schema.name)) return { id, error: fail('INVALID_TYPE', `sObject type '${schema.name}' is not supported by this sandbox for update`), apply: none };
    const row = this.store.get(id);
    const prefix = KEY_PREFIX[schema.name as keyof typeof KEY_PREFIX];
    if (!row || !id.startsWith(prefix)) return { id, error: fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['Id']), apply: none };
    if (row.IsDeleted) return { id, error: fail('ENTITY_IS_DELETED', 'entity is deleted'), apply: none };
    const values = this.checkFields(schema, input);
    if ('error' in values) return { id, error: values.error, apply: none };
    const refused = this.setup.check(schema.name, values.row, row);
    if (refused) return { id, error: refused, apply: none };
    return {
      id,
      apply: (stamp) => {
        if (schema.name === 'Account') for (const [field, value] of Object.entries(values.row)) this.history?.recordChange(row, field, row[field], value, stamp);
        Object.assign(row, values.row, { SystemModstamp: stamp }, schema.name === 'Task' ? { LastModifiedDate: stamp } : {});
        return id;
      },
    };
  }

  /** The save-time checks of every field, or the first one Salesforce would refuse. */
  private checkFields(schema: ObjectSchema, input: Input): { row: Input } | { error: Failure } {
    const row: Input = {};
    for (const [name, value] of Object.entries(input)) {
      const field = schema.fields.find((f) => f.name === name)!;
      if (SYSTEM_FIELDS.has(field.name.toLowerCase()) || field.access === 'read') {
        return {
          error: fail(
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
            [field.name],
          ),
        };
      }
      const checked = checkValue(field, value, this.store, this.setup.knownIds);
      if ('error' in checked) return { error: checked.error };
      row[field.name] = checked.value;
    }
    return { row };
  }
}
