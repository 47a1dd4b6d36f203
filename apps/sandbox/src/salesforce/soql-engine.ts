import { FieldSchema, ObjectSchema } from './sandbox-schema';
import { Row, SandboxStore } from './sandbox-store';
import { Condition, Literal, OrderTerm, parseSoql, SoqlError, SoqlQuery } from './soql-parser';

/** One selected column, resolved against the schema. */
type Column =
  | { kind: 'field'; field: FieldSchema }
  | { kind: 'path'; relationship: string; via: FieldSchema; target: ObjectSchema; field: FieldSchema }
  | { kind: 'subquery'; relationship: string; link: string; query: CompiledQuery };

/** A parsed query checked against the org's schema, ready to run any number of times. */
export interface CompiledQuery {
  schema: ObjectSchema;
  columns: Column[];
  filter: (row: Row) => boolean;
  compare?: (a: Row, b: Row) => number;
  limit?: number;
}

const WSDL_HINT = 'Please reference your WSDL or the describe call for the appropriate names.';

/** A field the integration user can see: field-level security hides the rest, as if absent. */
function findField(schema: ObjectSchema, name: string): FieldSchema | undefined {
  const wanted = name.toLowerCase();
  return schema.fields.find((f) => f.name.toLowerCase() === wanted && f.access !== 'none');
}

function requireField(schema: ObjectSchema, name: string, pos: number): FieldSchema {
  const field = findField(schema, name);
  if (!field) {
    throw new SoqlError(
      'INVALID_FIELD',
      `No such column '${name}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. ${WSDL_HINT}`,
      pos,
    );
  }
  return field;
}

const LITERAL_FOR: Partial<Record<FieldSchema['type'], { kind: Literal['kind']; label: string }>> = {
  datetime: { kind: 'datetime', label: 'dateTime' },
  date: { kind: 'date', label: 'date' },
  boolean: { kind: 'boolean', label: 'boolean' },
  currency: { kind: 'number', label: 'double' },
  double: { kind: 'number', label: 'double' },
  int: { kind: 'number', label: 'int' },
};

function condition(schema: ObjectSchema, c: Condition): (row: Row) => boolean {
  const field = requireField(schema, c.field.path, c.field.pos);
  const expected = LITERAL_FOR[field.type] ?? { kind: 'string', label: 'string' };
  for (const literal of c.values ?? [c.value]) {
    if (literal.kind !== 'null' && literal.kind !== expected.kind) {
      const quotes = expected.kind === 'string' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
      throw new SoqlError('INVALID_FIELD', `value of filter criterion for field '${field.name}' must be of type ${expected.label} and ${quotes}`, literal.pos);
    }
  }
  const wanted = c.value.value;
  const caseless = expected.kind === 'string';
  if (c.op === 'IN') {
    // A set, so `Id IN (400 ids)` over a large table stays one lookup per row.
    const key = (v: unknown) => (v === null || v === undefined ? null : caseless && typeof v === 'string' ? v.toLowerCase() : v);
    const list = new Set((c.values ?? []).map((literal) => key(literal.value)));
    return (row) => list.has(key(row[field.name]));
  }
  if (c.op === 'LIKE') {
    if (!caseless || typeof wanted !== 'string') {
      throw new SoqlError('INVALID_FIELD', `invalid operator on ${field.type} field '${field.name}': LIKE needs a text field and a quoted pattern`, c.value.pos);
    }
    const pattern = likePattern(wanted);
    return (row) => typeof row[field.name] === 'string' && pattern.test(row[field.name] as string);
  }
  return (row) => {
    const value = row[field.name] ?? null;
    if (wanted === null || value === null) {
      const same = value === wanted;
      return c.op === '=' ? same : c.op === '!=' ? !same : false;
    }
    const order = compareValues(value, wanted, caseless);
    switch (c.op) {
      case '=':
        return order === 0;
      case '!=':
        return order !== 0;
      case '<':
        return order < 0;
      case '<=':
        return order <= 0;
      case '>':
        return order > 0;
      case '>=':
        return order >= 0;
      default:
        return false;
    }
  };
}

/** SOQL LIKE: % any run, _ one character, case-insensitive; everything else literal. */
function likePattern(pattern: string): RegExp {
  const body = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'is');
}

function compareValues(a: unknown, b: unknown, caseless: boolean): number {
  const x = caseless && typeof a === 'string' ? a.toLowerCase() : a;
  const y = caseless && typeof b === 'string' ? (b as string).toLowerCase() : b;
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
}

function comparator(schema: ObjectSchema, terms: OrderTerm[]): ((a: Row, b: Row) => number) | undefined {
  if (terms.length === 0) return undefined;
  const keys = terms.map((t) => ({ ...t, field: requireField(schema, t.field.path, t.field.pos) }));
  return (a, b) => {
    for (const key of keys) {
      const x = a[key.field.name] ?? null;
      const y = b[key.field.name] ?? null;
      if (x === y) continue;
      if (x === null || y === null) return (x === null) === key.nullsLast ? 1 : -1;
      const order = compareValues(x, y, ['string', 'email', 'picklist'].includes(key.field.type));
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  };
}

function compile(query: SoqlQuery, schema: ObjectSchema, store: SandboxStore): CompiledQuery {
  const columns: Column[] = query.items.map((item): Column => {
    if (item.kind === 'subquery') {
      const name = item.query.from.path.toLowerCase();
      const child = schema.childRelationships.find((r) => r.relationshipName.toLowerCase() === name);
      const childSchema = child && store.objectSchema(child.childSObject);
      if (!child || !childSchema) {
        throw new SoqlError(
          'INVALID_TYPE',
          `Didn't understand relationship '${item.query.from.path}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. ${WSDL_HINT}`,
          item.query.from.pos,
        );
      }
      return { kind: 'subquery', relationship: child.relationshipName, link: child.field, query: compile(item.query, childSchema, store) };
    }
    const [head, ...rest] = item.field.path.split('.');
    if (rest.length === 0) return { kind: 'field', field: requireField(schema, head, item.field.pos) };
    const via = schema.fields.find((f) => f.relationshipName?.toLowerCase() === head.toLowerCase());
    const target = via?.referenceTo ? store.objectSchema(via.referenceTo) : undefined;
    if (!via || !target || rest.length > 1) {
      throw new SoqlError(
        'INVALID_FIELD',
        `Didn't understand relationship '${head}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. ${WSDL_HINT}`,
        item.field.pos,
      );
    }
    return { kind: 'path', relationship: via.relationshipName as string, via, target, field: requireField(target, rest[0], item.field.pos) };
  });
  const conditions = query.where.map((c) => condition(schema, c));
  return {
    schema,
    columns,
    filter: (row) => conditions.every((test) => test(row)),
    compare: comparator(schema, query.orderBy),
    limit: query.limit,
  };
}

/** Parses and checks a statement; throws SoqlError as Salesforce would refuse it. */
export function compileSoql(soql: string, store: SandboxStore): CompiledQuery {
  const query = parseSoql(soql);
  const schema = store.objectSchema(query.from.path);
  if (!schema) {
    throw new SoqlError(
      'INVALID_TYPE',
      `sObject type '${query.from.path}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. ${WSDL_HINT}`,
      query.from.pos,
    );
  }
  return compile(query, schema, store);
}

/** The matching rows, in order. Soft-deleted rows only for queryAll (`includeDeleted`). */
export function runQuery(query: CompiledQuery, rows: Row[], includeDeleted: boolean): Row[] {
  const matching = rows.filter((row) => (includeDeleted || !row.IsDeleted) && query.filter(row));
  if (query.compare) matching.sort(query.compare);
  return query.limit === undefined ? matching : matching.slice(0, query.limit);
}

function formatValue(field: FieldSchema, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  // Salesforce writes datetimes with milliseconds and a +0000 offset.
  if (field.type === 'datetime') return new Date(value as number).toISOString().replace('Z', '+0000');
  return value;
}

const attributes = (type: string, id: string, version: string) => ({ type, url: `/services/data/v${version}/sobjects/${type}/${id}` });

/** One row as the query resource returns it: attributes, then the selected columns in order. */
export function serializeRow(row: Row, query: CompiledQuery, store: SandboxStore, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributes(query.schema.name, row.Id, version) };
  for (const column of query.columns) {
    if (column.kind === 'field') {
      out[column.field.name] = formatValue(column.field, row[column.field.name]);
    } else if (column.kind === 'path') {
      const target = store.get(String(row[column.via.name] ?? ''));
      if (!target || target.IsDeleted) {
        out[column.relationship] = null;
        continue;
      }
      const nested = (out[column.relationship] as Record<string, unknown> | undefined) ?? { attributes: attributes(column.target.name, target.Id, version) };
      nested[column.field.name] = formatValue(column.field, target[column.field.name]);
      out[column.relationship] = nested;
    } else {
      // Children soft-deleted are left out of subqueries, even under queryAll.
      const children = runQuery(column.query, store.childrenOf(column.query.schema.name, column.link, row.Id), false);
      out[column.relationship] =
        children.length === 0 ? null : { totalSize: children.length, done: true, records: children.map((child) => serializeRow(child, column.query, store, version)) };
    }
  }
  return out;
}
