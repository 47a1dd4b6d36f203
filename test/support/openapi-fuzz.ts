import fc from 'fast-check';

/**
 * Bad inputs for every operation of an OpenAPI document (/docs-json): wrong types, null,
 * missing and unknown fields, deep JSON, NUL and lone-surrogate text, 1 MB strings, bad ids and
 * impossible dates. Fixed inputs plus fast-check samples with a fixed seed: the same requests
 * on every run.
 */

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  items?: Schema;
  enum?: unknown[];
  example?: unknown;
};

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As documented, with `{param}` placeholders. */
  template: string;
  pathParams: string[];
  queryParams: string[];
  /** One object shape per body variant (a oneOf is several). */
  bodies: Array<{ properties: Record<string, Schema>; required: string[] }>;
  /** Every field name a message may name: parameters, body properties and their nested paths. */
  fields: Set<string>;
}

export type FuzzBody = { json: unknown } | { raw: string; type: string };

export interface FuzzCase {
  label: string;
  path: string;
  /** Raw query string without `?` (already encoded: some inputs cannot be encoded by a client). */
  query?: string;
  body?: FuzzBody;
  /** Field names this input sent that are not in the documented shape (unknown fields). */
  sentFields?: string[];
  headers?: Record<string, string>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export const RANDOM_UUID = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
export const NUL = 'a\u0000b';
export const LONE_SURROGATE = 'x\ud800y';
export const ONE_MB = 'm'.repeat(1024 * 1024);
export const IMPOSSIBLE_DATE = '2026-02-30';

/** Arrays and objects nested `depth` levels deep, built without recursion. */
export function deepJson(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let hops = 0; current.$ref && hops < 20; hops++) current = doc.components?.schemas?.[current.$ref.split('/').pop()!] ?? {};
  return current;
}

/** The object shapes a schema allows: one per oneOf/anyOf variant, allOf merged. */
function shapes(doc: OpenApiDocument, schema: Schema | undefined): Array<{ properties: Record<string, Schema>; required: string[] }> {
  const s = resolve(doc, schema);
  const variants = s.oneOf ?? s.anyOf;
  if (variants) return variants.flatMap((v) => shapes(doc, v));
  if (s.allOf) {
    const parts = s.allOf.flatMap((v) => shapes(doc, v));
    return [{ properties: Object.assign({}, ...parts.map((p) => p.properties)), required: parts.flatMap((p) => p.required) }];
  }
  return s.properties ? [{ properties: s.properties, required: s.required ?? [] }] : [];
}

function collectFields(doc: OpenApiDocument, schema: Schema, prefix: string, into: Set<string>, depth = 0): void {
  if (depth > 4) return;
  const items = resolve(doc, schema).items;
  if (items) collectFields(doc, items, prefix, into, depth + 1);
  for (const shape of shapes(doc, schema)) {
    for (const [name, child] of Object.entries(shape.properties)) {
      const path = prefix ? `${prefix}.${name}` : name;
      into.add(name).add(path);
      collectFields(doc, child, path, into, depth + 1);
    }
  }
}

export function operations(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([template, byMethod]) =>
    METHODS.filter((m) => byMethod[m]).map((method) => {
      const op = byMethod[method];
      const params = op.parameters ?? [];
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const fields = new Set(params.map((p) => p.name));
      if (bodySchema) collectFields(doc, bodySchema, '', fields);
      return {
        method,
        template,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodies: bodySchema ? shapes(doc, bodySchema) : [],
        fields,
      };
    }),
  );
}

/** A plausible value for a property, so one bad field at a time gets past the others. */
function plausible(doc: OpenApiDocument, schema: Schema): unknown {
  const s = resolve(doc, schema);
  if (s.example !== undefined) return s.example;
  if (s.enum?.length) return s.enum[0];
  if (s.oneOf || s.anyOf || s.properties) return {};
  switch (s.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return 'text';
  }
}

/** Values of every wrong kind (and some right ones) for one field. */
const FIELD_VALUES: Array<[string, unknown]> = [
  ['null', null],
  ['a number', 12345],
  ['a fraction', 0.5],
  ['a negative number', -1],
  ['a string', 'text'],
  ['an empty string', ''],
  ['a boolean', true],
  ['an array', ['x', 1]],
  ['an object', { unknownField: 1 }],
  ['NUL text', NUL],
  ['a lone surrogate', LONE_SURROGATE],
  ['an impossible date', IMPOSSIBLE_DATE],
  ['40-deep JSON', deepJson(40)],
  ['a 100 KB string', 'k'.repeat(100 * 1024)],
  ['a 1 MB string', ONE_MB],
];

function bodyCases(doc: OpenApiDocument, op: Operation, path: string): FuzzCase[] {
  const cases: FuzzCase[] = [];
  op.bodies.forEach((shape, variant) => {
    const base = Object.fromEntries(shape.required.map((name) => [name, plausible(doc, shape.properties[name])]));
    const tag = op.bodies.length > 1 ? ` (variant ${variant + 1})` : '';
    cases.push({ label: `plausible body${tag}`, path, body: { json: base } });
    cases.push({ label: `unknown field${tag}`, path, body: { json: { ...base, unknownField: 1 } }, sentFields: ['unknownField'] });
    for (const name of shape.required) {
      const { [name]: _left, ...rest } = base;
      cases.push({ label: `missing ${name}${tag}`, path, body: { json: rest } });
    }
    for (const [name, schema] of Object.entries(shape.properties)) {
      for (const [what, value] of FIELD_VALUES) cases.push({ label: `${name} = ${what}${tag}`, path, body: { json: { ...base, [name]: value } }, sentFields: ['unknownField'] });
      // Random JSON of every shape, the same on every run (fixed seed).
      fc.sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 4, seed: 13 + name.length }).forEach((value, i) =>
        cases.push({ label: `${name} = sample ${i}${tag}`, path, body: { json: { ...base, [name]: value } } }),
      );
      const nested = shapes(doc, schema)[0];
      if (nested) {
        const inner = Object.fromEntries(nested.required.map((n) => [n, plausible(doc, nested.properties[n])]));
        for (const child of Object.keys(nested.properties)) {
          for (const [what, value] of FIELD_VALUES.slice(0, 11)) {
            cases.push({ label: `${name}.${child} = ${what}${tag}`, path, body: { json: { ...base, [name]: { ...inner, [child]: value } } }, sentFields: ['unknownField'] });
          }
        }
      }
    }
  });
  return cases;
}

/** Bodies any route must survive, whatever it expects. */
function anyRouteBodies(path: string): FuzzCase[] {
  return [
    { label: 'JSON null', path, body: { raw: 'null', type: 'application/json' } },
    { label: 'a JSON array', path, body: { json: [1, 'two', { three: 3 }] } },
    { label: 'a JSON string', path, body: { raw: '"text"', type: 'application/json' } },
    { label: 'broken JSON', path, body: { raw: '{"a": ', type: 'application/json' } },
    { label: '40-deep JSON', path, body: { json: deepJson(40) } },
    { label: 'NUL in a field name', path, body: { json: { [NUL]: 1 } }, sentFields: [NUL] },
    { label: 'a lone surrogate as raw JSON escape', path, body: { raw: '{"name": "\\udc00"}', type: 'application/json' }, sentFields: ['name'] },
    { label: 'a 2 MB body', path, body: { json: { big: ONE_MB + ONE_MB } } },
    { label: 'a form body', path, body: { raw: 'name=%00&a[b][c][d][e][f][g]=1', type: 'application/x-www-form-urlencoded' }, sentFields: ['name'] },
    { label: 'a text body', path, body: { raw: 'plain text', type: 'text/plain' } },
    { label: 'JSON with a charset it cannot be', path, body: { raw: '{}', type: 'application/json; charset=latin9' } },
    { label: 'JSON in an unknown content encoding', path, body: { raw: '{}', type: 'application/json' }, headers: { 'Content-Encoding': 'x-squeeze' } },
    { label: 'JSON claiming gzip', path, body: { raw: '{"not": "gzip"}', type: 'application/json' }, headers: { 'Content-Encoding': 'gzip' } },
  ];
}

const QUERY_VALUES: Array<[string, (name: string) => string]> = [
  ['an impossible date', (n) => `${n}=${IMPOSSIBLE_DATE}`],
  ['a date out of range', (n) => `${n}=0000-01-01`],
  ['not-a-uuid', (n) => `${n}=not-a-uuid`],
  ['empty', (n) => `${n}=`],
  ['NUL', (n) => `${n}=%00`],
  ['invalid UTF-8', (n) => `${n}=%ED%A0%80`],
  ['a %u escape', (n) => `${n}=%uD800`],
  ['twice', (n) => `${n}=2026-01-01&${n}=2026-01-02`],
  ['brackets', (n) => `${n}[a][b][c]=1`],
  ['a huge number', (n) => `${n}=${'9'.repeat(400)}`],
  ['an 8 KB string', (n) => `${n}=${'q'.repeat(8 * 1024)}`],
];

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name]);
}

/**
 * Every bad input for one operation. `realIds` maps a path parameter to ids that exist, so the
 * body and query checks also run against a real record (not only a 404).
 */
export function fuzzCases(doc: OpenApiDocument, op: Operation, realIds: Record<string, string[]> = {}): FuzzCase[] {
  const ids = (param: string) => (op.method === 'delete' ? [] : (realIds[param] ?? []));
  const cases: FuzzCase[] = [];
  for (const param of op.pathParams) {
    for (const bad of ['not-a-uuid', RANDOM_UUID, RANDOM_UUID.toUpperCase(), '%00', '%ED%A0%80', 'x'.repeat(300), '..%2f..%2fetc']) {
      const values = Object.fromEntries(op.pathParams.map((p) => [p, p === param ? bad : (ids(p)[0] ?? RANDOM_UUID)]));
      cases.push({ label: `${param} = ${bad.slice(0, 20)}`, path: fill(op.template, values) });
    }
  }
  const targets = [RANDOM_UUID, ...new Set(op.pathParams.flatMap(ids))];
  for (const id of op.pathParams.length ? targets : [RANDOM_UUID]) {
    const path = fill(op.template, Object.fromEntries(op.pathParams.map((p) => [p, ids(p).includes(id) ? id : RANDOM_UUID])));
    for (const name of op.queryParams) for (const [what, query] of QUERY_VALUES) cases.push({ label: `query ${name} ${what}`, path, query: query(name) });
    cases.push({ label: 'unknown query parameter', path, query: `unknownParam=${encodeURIComponent(NUL)}`, sentFields: ['unknownParam'] });
    cases.push(...bodyCases(doc, op, path), ...anyRouteBodies(path));
  }
  return cases;
}
