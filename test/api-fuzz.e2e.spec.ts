import request from 'supertest';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { createZendeskSandbox } from '@apps/sandbox/src/zendesk';
import { FuzzCase, fuzzCases, Operation, operations } from './support/openapi-fuzz';
import { startTestService, TestService } from './support/service';
import { connectZendeskSandbox } from './support/zendesk-connection';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

/** Whether a message names `name` as a word of its own (not "id" inside "invalid"). */
function mentions(message: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w])${escaped}($|[^\\w])`).test(message);
}

/** What is wrong with one answer, or null: no 5xx, and every 4xx says which field or thing. */
function judge(op: Operation, input: FuzzCase, status: number, body: unknown): string | null {
  if (status >= 500) return `answered ${status}`;
  if (status < 400) return null;
  if (typeof body !== 'object' || body === null) return `answered ${status} without a JSON body`;
  const raw = (body as { message?: unknown }).message;
  const messages = Array.isArray(raw) ? raw : [raw];
  if (!messages.length || messages.some((m) => typeof m !== 'string' || !m)) return `answered ${status} without a message`;
  if (status === 404) return messages.every((m) => /^no [\w ]+ with id /.test(m)) ? null : `404 does not name the thing: ${messages}`;
  if (status === 401) {
    // Only a helpdesk webhook may refuse a request carrying a valid admin key: its signature.
    return op.template.startsWith('/webhooks/') && messages.every((m) => /signature|timestamp/i.test(m)) ? null : `401: ${messages}`;
  }
  const names = [...op.fields, ...(input.sentFields ?? []), 'body', 'path'];
  const unnamed = messages.filter((m) => !names.some((name) => mentions(m, name)));
  return unnamed.length ? `${status} names no field: ${JSON.stringify(unnamed).slice(0, 300)}` : null;
}

describe('every documented operation answers bad input with a 4xx naming the field, never a 5xx', () => {
  let service: TestService;
  let zendesk: ListeningSandbox;
  let auth: { Authorization: string };
  let connectionId: string;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: false, sandbox: false });
    zendesk = await listenSandbox(createZendeskSandbox({ seed: 13, users: 2, tickets: 0 }));
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('fuzz', 'test')).key}` };
    connectionId = (await connectZendeskSandbox(service.url, auth, zendesk.url)).connectionId;
  });
  afterAll(async () => {
    await zendesk?.close();
    await service?.close();
  });

  it('fuzzes /docs-json: zero 5xx, every 4xx names a field (404 and 409 the thing)', async () => {
    const docs = await request(service.url).get('/docs-json');
    expect(docs.status).toBe(200);
    const ops = operations(docs.body);
    // The admin API, the webhooks and health are all documented; a route missing here is not fuzzed.
    expect(ops.map((o) => `${o.method} ${o.template}`)).toEqual(expect.arrayContaining(['put /api/program', 'patch /api/connections/{id}', 'get /api/loop-closure']));
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      for (const input of fuzzCases(docs.body, op, { id: [connectionId], connectionId: [connectionId] })) {
        const url = `${input.path}${input.query ? `?${input.query}` : ''}`;
        const agent = request(service.url);
        let call = agent[op.method](url)
          .set(auth)
          .set(input.headers ?? {});
        if (input.body && 'json' in input.body) call = call.set('Content-Type', 'application/json').send(JSON.stringify(input.body.json));
        else if (input.body) call = call.set('Content-Type', input.body.type).send(input.body.raw);
        const res = await call;
        sent++;
        const problem = judge(op, input, res.status, res.body);
        if (problem) failures.push(`${op.method.toUpperCase()} ${op.template} [${input.label}]: ${problem}`);
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  }, 120_000);
});
