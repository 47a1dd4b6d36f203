import request from 'supertest';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { startTestService, TestService } from './support/service';

type Schema = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  op: Schema;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** /docs as a client generator or a fuzzer reads it: every route and what it takes and answers. */
describe('the API reference at /docs-json', () => {
  let service: TestService;
  let doc: Schema;
  let auth: Record<string, string>;

  const resolve = (schema: Schema): Schema => {
    if (!schema?.$ref) return schema;
    const target = doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`${schema.$ref} is referenced but not defined`);
    return resolve(target);
  };
  /** A shape a reader can rely on: not `{}` and not an object whose properties are unknown. */
  const describesShape = (raw: Schema): boolean => {
    const schema = resolve(raw);
    if (!schema) return false;
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) if (schema[key]) return schema[key].every(describesShape);
    if (schema.type === 'array') return describesShape(schema.items);
    if (schema.type === 'object' || schema.properties) return Boolean(schema.properties || schema.additionalProperties);
    return ['string', 'integer', 'number', 'boolean'].includes(schema.type);
  };
  const operations = (): Operation[] =>
    Object.entries(doc.paths as Record<string, Schema>).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })));
  const name = (o: Operation) => `${o.method.toUpperCase()} ${o.path}`;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: false, sandbox: false });
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('docs', 'test')).key}` };
    const answer = await request(service.url).get('/docs-json');
    expect(answer.status).toBe(200);
    doc = answer.body;
  });
  afterAll(() => service.close());

  it('lists the admin API, the webhooks and health', () => {
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/connections',
        '/api/program',
        '/api/plan/preview',
        '/api/write-backs',
        '/api/loop-closure',
        '/api/admin-keys',
        '/api/responses/{id}/permalink',
        '/health',
      ]),
    );
    expect(operations().length).toBeGreaterThanOrEqual(20);
  });

  it('gives every operation a summary', () => {
    const without = operations().filter((o) => !(typeof o.op.summary === 'string' && o.op.summary.trim().length > 10));
    expect(without.map(name)).toEqual([]);
  });

  it('types every request body: a named schema or one with properties, never a bare object', () => {
    const withBody = operations().filter((o) => o.op.requestBody);
    expect(withBody.length).toBeGreaterThanOrEqual(5);
    const untyped = withBody.filter((o) => {
      // JSON bodies, and the one upload (POST /api/imports, multipart/form-data, its parts named).
      const schema = o.op.requestBody.content?.['application/json']?.schema ?? o.op.requestBody.content?.['multipart/form-data']?.schema;
      return !(schema && (schema.$ref || schema.properties) && describesShape(schema));
    });
    expect(untyped.map(name)).toEqual([]);
  });

  it('types every success answer except 204', () => {
    const missing = operations().flatMap((o) =>
      Object.entries(o.op.responses as Record<string, Schema>)
        .filter(([status]) => /^2\d\d$/.test(status) && status !== '204')
        .filter(([, answer]) => !describesShape(answer.content?.['application/json']?.schema))
        .map(([status]) => `${name(o)} ${status}`),
    );
    expect(missing).toEqual([]);
    expect(operations().every((o) => Object.keys(o.op.responses).some((s) => /^2\d\d$/.test(s)))).toBe(true);
  });

  it('documents the errors with one shared schema: 401 and 429 on every /api route, 400 wherever input is taken', () => {
    const errorRef = '#/components/schemas/ErrorDto';
    const refOf = (o: Operation, status: string) => o.op.responses[status]?.content?.['application/json']?.schema?.$ref;
    const api = operations().filter((o) => o.path.startsWith('/api/'));
    expect(api.filter((o) => refOf(o, '401') !== errorRef || refOf(o, '429') !== errorRef).map(name)).toEqual([]);
    const takesInput = operations().filter((o) => o.op.requestBody || (o.op.parameters ?? []).length > 0);
    expect(takesInput.filter((o) => refOf(o, '400') !== errorRef).map(name)).toEqual([]);
    expect(
      operations()
        .filter((o) => o.path.includes('{id}') && !o.op.responses['404'])
        .map(name),
    ).toEqual([]);
    expect(resolve({ $ref: errorRef }).properties.message).toBeDefined();
    expect(
      refOf(
        operations().find((o) => o.method === 'post' && o.path === '/api/connections')!,
        '409',
      ),
    ).toBe(errorRef);
  });

  it('leaves no object untyped anywhere in the schemas', () => {
    const untyped: string[] = [];
    const walk = (schema: Schema, at: string) => {
      if (!schema || typeof schema !== 'object' || schema.$ref) return;
      if (Object.keys(schema).every((k) => ['description', 'nullable', 'example', 'default', 'readOnly'].includes(k))) untyped.push(at);
      if (schema.type === 'object' && !schema.properties && !schema.additionalProperties && !schema.oneOf && !schema.allOf) untyped.push(at);
      for (const [key, value] of Object.entries(schema.properties ?? {})) walk(value as Schema, `${at}.${key}`);
      for (const key of ['oneOf', 'anyOf', 'allOf'] as const) (schema[key] ?? []).forEach((s: Schema, i: number) => walk(s, `${at}.${key}[${i}]`));
      if (schema.items) walk(schema.items, `${at}[]`);
      if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${at}{}`);
    };
    for (const [key, schema] of Object.entries(doc.components.schemas as Record<string, Schema>)) walk(schema, key);
    expect(untyped).toEqual([]);
  });

  it("documents each vendor's credentials per authType in the connection body, as validation asks for them", async () => {
    const body = resolve(doc.paths['/api/connections'].post.requestBody.content['application/json'].schema);
    expect(body.discriminator.propertyName).toBe('kind');
    const byKind = Object.fromEntries(
      body.oneOf.map((ref: Schema) => {
        const variant = resolve(ref);
        return [variant.properties.kind.enum[0], variant];
      }),
    );
    const expected: Record<string, Record<string, string[]>> = {
      // client credentials must name the org's My Domain: the default login host is refused for it
      salesforce: {
        jwt: ['clientId', 'username', 'privateKey'],
        client_credentials: ['loginUrl', 'clientId', 'clientSecret'],
        oauth: ['clientId', 'clientSecret', 'refreshToken'],
      },
      hubspot: { private_app: ['accessToken'], oauth: ['clientId', 'clientSecret', 'refreshToken'] },
      zendesk: { api_token: ['subdomain', 'email', 'apiToken'], oauth: ['subdomain', 'accessToken'] },
    };
    expect(Object.keys(byKind).sort()).toEqual(Object.keys(expected).sort());
    for (const [kind, authTypes] of Object.entries(expected)) {
      const credentials = resolve(byKind[kind].properties.credentials);
      expect(credentials.discriminator.propertyName).toBe('authType');
      expect(Object.keys(credentials.discriminator.mapping).sort()).toEqual(Object.keys(authTypes).sort());
      expect(describesShape(byKind[kind].properties.settings)).toBe(true);
      for (const [authType, fields] of Object.entries(authTypes)) {
        const shape = resolve({ $ref: credentials.discriminator.mapping[authType] });
        expect(shape.properties.authType.enum).toEqual([authType]);
        expect([...shape.required].sort()).toEqual(['authType', ...fields].sort());
        // The documented required fields are exactly the ones the API names when they are left out.
        const refused = await request(service.url)
          .post('/api/connections')
          .set(auth)
          .send({ kind, name: `${kind} ${authType}`, credentials: { authType } });
        expect(refused.status).toBe(400);
        const named = (refused.body.message as string[]).map((m) => /^credentials\.(\w+)/.exec(m)?.[1]);
        expect([...new Set(named)].sort()).toEqual([...fields].sort());
      }
    }
    // A field of another login is not offered: the client credentials shape has no private key.
    const clientCredentials = resolve({ $ref: resolve(byKind.salesforce.properties.credentials).discriminator.mapping.client_credentials });
    expect(clientCredentials.properties.privateKey).toBeUndefined();
  });

  it('documents vendor settings with their ranges and defaults', () => {
    const zendesk = resolve({ $ref: '#/components/schemas/ZendeskSettings' });
    expect(zendesk.properties.requestsPerMinute).toMatchObject({ type: 'integer', minimum: 1, default: 400 });
    const hubspot = resolve({ $ref: '#/components/schemas/HubSpotSettings' });
    expect(hubspot.properties.rateLimit.properties.requestsPer10s).toMatchObject({ type: 'integer', minimum: 1, maximum: 250 });
    expect(hubspot.properties.roleMapping.additionalProperties.enum).toContain('decision_maker');
  });

  it('lists every program rule with its type, range and meaning, and the ranges are the ones PUT enforces', async () => {
    const program = resolve(doc.paths['/api/program'].get.responses['200'].content['application/json'].schema);
    const rules = resolve(program.properties.rules.allOf[0]);
    const current = (await request(service.url).get('/api/program').set(auth)).body;
    expect(Object.keys(rules.properties).sort()).toEqual(Object.keys(current.rules).sort());
    for (const [rule, schema] of Object.entries(rules.properties as Record<string, Schema>)) {
      expect({ rule, described: typeof schema.description === 'string' && schema.description.length > 10 }).toEqual({ rule, described: true });
    }
    const cap = rules.properties.dailySendCap;
    expect(cap).toMatchObject({ type: 'integer', minimum: 1, default: 500 });
    expect(cap.maximum).toBeGreaterThan(cap.minimum);
    const put = (dailySendCap: number) => request(service.url).put('/api/program').set(auth).send({ rules: { dailySendCap } });
    const above = await put(cap.maximum + 1);
    expect(above.status).toBe(400);
    expect(above.body.message.join('\n')).toMatch(/rules\.dailySendCap/);
    expect((await put(cap.minimum - 1)).status).toBe(400);
    expect((await put(cap.maximum)).status).toBe(200);

    const change = resolve(doc.paths['/api/program'].put.requestBody.content['application/json'].schema);
    expect(resolve(change.properties.rules.allOf[0]).properties.dailySendCap).toMatchObject({ minimum: cap.minimum, maximum: cap.maximum });
    expect(program.properties.missing).toBeDefined();
    expect(program.properties.live.type).toBe('boolean');
  });

  it('describes the admin key as the bearer format, and an issued key looks as documented', async () => {
    const scheme = doc.components.securitySchemes.bearer;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(scheme.bearerFormat).not.toMatch(/jwt/i);
    expect(scheme.bearerFormat).toMatch(/admin key/);
    const created = await request(service.url).post('/api/admin-keys').set(auth).send({ name: 'from the docs' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(new RegExp(resolve({ $ref: '#/components/schemas/CreatedAdminKeyDto' }).properties.key.pattern));
    expect(
      operations()
        .filter((o) => o.path.startsWith('/api/') && !(o.op.security ?? []).some((s: Schema) => 'bearer' in s))
        .map(name),
    ).toEqual([]);
  });
});
