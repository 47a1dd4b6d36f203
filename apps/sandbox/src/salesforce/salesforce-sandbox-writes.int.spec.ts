import { createSalesforceSandbox, SalesforceSandbox } from './salesforce-sandbox';
import { listenSandbox, ListeningSandbox } from '../kit/sandbox';

const CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };
const V = '/services/data/v62.0';

/** Response bodies are Salesforce JSON of many shapes; the assertions check them. */

type Json = any;

let sandbox: SalesforceSandbox;
let server: ListeningSandbox;
let token: string;

async function call(method: string, path: string, body?: unknown, bearer: string | null = token) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function signIn(): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${server.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const control = (body: unknown) => call('POST', '/_sandbox/mutate', body, null);
const soql = (q: string) => call('GET', `${V}/query?q=${encodeURIComponent(q)}`);
const contacts = () => sandbox.store.rows('Contact').filter((r) => !r.IsDeleted);
const patch = (records: Json[]) => call('PATCH', `${V}/composite/sobjects`, { allOrNone: false, records: records.map((r) => ({ attributes: { type: 'Contact' }, ...r })) });
const scoreField = (extra: Json = {}) => ({
  FullName: 'Contact.NPS_Last_Score__c',
  Metadata: { label: 'NPS last score', type: 'Number', precision: 18, scale: 0, description: 'Latest score', inlineHelpText: 'Latest score', ...extra },
});

beforeEach(async () => {
  sandbox = createSalesforceSandbox({ accounts: 20, seed: 9, ...CLIENT });
  server = await listenSandbox(sandbox);
  token = (await signIn()).body.access_token;
});
afterEach(() => server.close());

describe('sandbox Contact updates through sObject Collections', () => {
  it('saves valid records and refuses bad ones per record: text too long, a reference to the wrong object', async () => {
    const [a, b, c] = contacts();
    const { status, body } = await patch([
      { Id: a.Id, Title: 'VP Customer Success' },
      { Id: b.Id, Title: 'x'.repeat(129) },
      { Id: c.Id, AccountId: sandbox.store.rows('Contact')[0].Id },
    ]);
    expect(status).toBe(200);
    expect(body).toEqual([
      { id: a.Id, success: true, errors: [] },
      { id: b.Id, success: false, errors: [{ statusCode: 'STRING_TOO_LONG', message: `Title: data value too large: ${'x'.repeat(80)}... (max length=128)`, fields: ['Title'] }] },
      { id: c.Id, success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: expect.stringContaining('id value of incorrect type'), fields: ['AccountId'] }] },
    ]);
    expect(sandbox.record('Contact', a.Id)).toMatchObject({ Title: 'VP Customer Success' });
    expect(sandbox.record('Contact', b.Id)?.Title).toBe(b.Title);
  });

  it('refuses the whole request with 400 for a field the object lacks or a value of the wrong JSON type', async () => {
    const [a, b] = contacts();
    const unknown = await patch([
      { Id: a.Id, Title: 'Changed' },
      { Id: b.Id, NPS_Last_Score__c: 9 },
    ]);
    expect(unknown).toEqual({ status: 400, body: [{ errorCode: 'INVALID_FIELD', message: "No such column 'NPS_Last_Score__c' on sobject of type Contact", fields: [] }] });
    expect(sandbox.record('Contact', a.Id)?.Title).toBe(a.Title);
    const wrongType = await patch([{ Id: a.Id, FirstName: { first: 'x' } }]);
    expect(wrongType.status).toBe(400);
    expect(wrongType.body[0]).toMatchObject({ errorCode: 'JSON_PARSER_ERROR', message: expect.stringContaining('Cannot deserialize instance of string from START_OBJECT') });
  });

  it('checks NPS fields once they exist: numbers, restricted picklist values, dates', async () => {
    sandbox = createSalesforceSandbox({ accounts: 5, seed: 9, npsFields: true, ...CLIENT });
    await server.close();
    server = await listenSandbox(sandbox);
    token = (await signIn()).body.access_token;
    const [a, b, c] = contacts();
    const notNumber = await patch([{ Id: a.Id, NPS_Last_Score__c: 'nine' }]);
    expect(notNumber.body[0]).toMatchObject({
      errorCode: 'JSON_PARSER_ERROR',
      message: expect.stringContaining('Cannot deserialize instance of double from VALUE_STRING value nine'),
    });
    const { body } = await patch([
      { Id: a.Id, NPS_Last_Score__c: 9, NPS_Last_Category__c: 'promoter', NPS_Last_Response_Date__c: '2026-11-20', NPS_Last_Comment__c: 'Great' },
      { Id: b.Id, NPS_Last_Category__c: 'fan' },
      { Id: c.Id, NPS_Last_Score__c: 1e20 },
    ]);
    expect(body.map((r: Json) => r.errors[0]?.statusCode ?? 'ok')).toEqual(['ok', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'NUMBER_OUTSIDE_VALID_RANGE']);
    expect(body[1].errors[0].message).toBe('NPS last category: bad value for restricted picklist field: fan');
    expect(sandbox.record('Contact', a.Id)).toMatchObject({
      NPS_Last_Score__c: 9,
      NPS_Last_Category__c: 'promoter',
      NPS_Last_Response_Date__c: '2026-11-20',
      NPS_Last_Comment__c: 'Great',
    });
    const cleared = await patch([{ Id: a.Id, NPS_Last_Comment__c: null }]);
    expect(cleared.body[0].success).toBe(true);
    expect(sandbox.record('Contact', a.Id)?.NPS_Last_Comment__c).toBeNull();
  });
});

describe('sandbox Tooling CustomField and field-level security', () => {
  it('creates a field hidden from the integration user until a permission set assigned to it grants read + edit', async () => {
    const created = await call('POST', `${V}/tooling/sobjects/CustomField`, scoreField());
    expect(created).toEqual({ status: 201, body: { id: expect.stringMatching(/^00N/), success: true, errors: [], warnings: [], infos: [] } });
    const names = async () => (await call('GET', `${V}/sobjects/Contact/describe`)).body.fields.map((f: Json) => f.name);
    expect(await names()).not.toContain('NPS_Last_Score__c');
    expect((await soql('SELECT Id, NPS_Last_Score__c FROM Contact')).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await patch([{ Id: contacts()[0].Id, NPS_Last_Score__c: 9 }])).status).toBe(400);
    expect(sandbox.customFields('Contact')).toEqual([{ name: 'NPS_Last_Score__c', type: 'double', label: 'NPS last score', access: 'none' }]);

    const set = await call('POST', `${V}/sobjects/PermissionSet`, { Name: 'NPS_Bridge', Label: 'NPS Bridge' });
    expect(set).toEqual({ status: 201, body: { id: expect.stringMatching(/^0PS/), success: true, errors: [] } });
    expect((await soql("SELECT Id FROM PermissionSet WHERE Name = 'NPS_Bridge'")).body.records.map((r: Json) => r.Id)).toEqual([set.body.id]);
    const grant = {
      attributes: { type: 'FieldPermissions' },
      ParentId: set.body.id,
      SobjectType: 'Contact',
      Field: 'Contact.NPS_Last_Score__c',
      PermissionsRead: true,
      PermissionsEdit: false,
    };
    const permissions = await call('POST', `${V}/composite/sobjects`, {
      allOrNone: false,
      records: [grant, { ...grant, Field: 'Contact.Nope__c' }, { ...grant, PermissionsRead: false, PermissionsEdit: true }],
    });
    expect(permissions.body.map((r: Json) => r.errors[0]?.statusCode ?? 'ok')).toEqual(['ok', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'FIELD_INTEGRITY_EXCEPTION']);
    // Granted, but not to this user yet.
    expect(sandbox.customFields('Contact')[0].access).toBe('none');
    const userId = String((await signIn()).body.id)
      .split('/')
      .pop();
    expect(userId).toBe(sandbox.integrationUserId);
    expect((await call('POST', `${V}/sobjects/PermissionSetAssignment`, { PermissionSetId: set.body.id, AssigneeId: userId })).status).toBe(201);
    expect((await call('POST', `${V}/sobjects/PermissionSetAssignment`, { PermissionSetId: set.body.id, AssigneeId: userId })).body).toEqual([
      { errorCode: 'DUPLICATE_VALUE', message: 'duplicate value found: <unknown> duplicates value on record with id: <unknown>', fields: [] },
    ]);
    // Read only: visible, not writable.
    expect(await names()).toContain('NPS_Last_Score__c');
    expect((await patch([{ Id: contacts()[0].Id, NPS_Last_Score__c: 9 }])).body[0].errors[0].statusCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const row = (await soql(`SELECT Id, Field FROM FieldPermissions WHERE ParentId = '${set.body.id}'`)).body.records[0];
    expect((await call('PATCH', `${V}/composite/sobjects`, { records: [{ attributes: { type: 'FieldPermissions' }, Id: row.Id, PermissionsEdit: true }] })).body[0].success).toBe(
      true,
    );
    expect((await patch([{ Id: contacts()[0].Id, NPS_Last_Score__c: 9 }])).body[0].success).toBe(true);
    expect((await soql(`SELECT NPS_Last_Score__c FROM Contact WHERE Id = '${contacts()[0].Id}'`)).body.records[0].NPS_Last_Score__c).toBe(9);
  });

  it('refuses a duplicate name, even hidden, and metadata Salesforce would not accept', async () => {
    expect((await call('POST', `${V}/tooling/sobjects/CustomField`, scoreField())).status).toBe(201);
    expect(await call('POST', `${V}/tooling/sobjects/CustomField`, scoreField())).toEqual({
      status: 400,
      body: [{ errorCode: 'DUPLICATE_DEVELOPER_NAME', message: 'There is already a field named NPS_Last_Score on Contact.', fields: [] }],
    });
    const refused = async (body: Json) => (await call('POST', `${V}/tooling/sobjects/CustomField`, body)).body[0];
    expect(await refused({ ...scoreField({ precision: undefined }), FullName: 'Contact.Other__c' })).toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
      message: "Must specify 'precision' for a CustomField of type Number",
    });
    expect(await refused({ ...scoreField(), FullName: 'Contact.Bad__Name__c' })).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION' });
    expect(await refused({ FullName: 'Contact.Pick__c', Metadata: { label: 'Pick', type: 'Picklist', valueSet: { valueSetDefinition: { value: [] } } } })).toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
    });
    expect(await refused({ FullName: 'Contact.Notes__c', Metadata: { label: 'Notes', type: 'LongTextArea', length: 32768 } })).toMatchObject({
      message: "Must specify 'visibleLines' for a CustomField of type LongTextArea",
    });
    expect(await refused({ FullName: 'Contact.Notes__c' })).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
    expect(sandbox.customFields('Contact').map((f) => f.name)).toEqual(['NPS_Last_Score__c']);
  });

  it('refuses metadata changes while setMetadataAccess is off (HTTP control), fields only with scope permissions', async () => {
    expect((await control({ action: 'setMetadataAccess', allowed: false })).body).toMatchObject({ metadataAccess: { fields: false, permissions: false } });
    const tooling = await call('POST', `${V}/tooling/sobjects/CustomField`, scoreField());
    expect(tooling.status).toBe(403);
    expect(tooling.body[0]).toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
    expect((await call('POST', `${V}/sobjects/PermissionSet`, { Name: 'NPS_Bridge', Label: 'NPS Bridge' })).body[0].errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    await control({ action: 'setMetadataAccess', allowed: false, scope: 'permissions' });
    expect(sandbox.controlState().metadataAccess).toEqual({ fields: false, permissions: false });
    await control({ action: 'setMetadataAccess', allowed: true });
    await control({ action: 'setMetadataAccess', allowed: false, scope: 'permissions' });
    expect((await call('POST', `${V}/tooling/sobjects/CustomField`, scoreField())).status).toBe(201);
    expect((await call('POST', `${V}/sobjects/PermissionSet`, { Name: 'NPS_Bridge', Label: 'NPS Bridge' })).status).toBe(400);
  });
});

describe('sandbox outage and failAfterWrite controls, write log', () => {
  const task = (subject: string) => ({ attributes: { type: 'Task' }, Subject: subject, WhatId: sandbox.store.rows('Account')[0].Id });

  it('answers 503 to everything during an outage, token endpoint included', async () => {
    await control({ action: 'outage', on: true });
    expect((await signIn()).status).toBe(503);
    expect(await call('GET', `${V}/limits`)).toEqual({ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable', fields: [] }] });
    expect((await call('POST', `${V}/composite/sobjects`, { records: [task('NPS a')] })).status).toBe(503);
    expect(sandbox.tasks()).toHaveLength(0);
    await control({ action: 'outage', on: false });
    expect((await signIn()).status).toBe(200);
    expect((await call('GET', `${V}/limits`)).status).toBe(200);
  });

  it('creates the records of the next collections POSTs, then answers 503; the log shows what was sent and answered', async () => {
    await control({ action: 'failAfterWrite', count: 1 });
    const lost = await call('POST', `${V}/composite/sobjects`, { allOrNone: false, records: [task('NPS a'), task('NPS b')] });
    expect(lost.status).toBe(503);
    expect(sandbox.tasks().map((t) => t.Subject)).toEqual(['NPS a', 'NPS b']);
    expect((await call('POST', `${V}/composite/sobjects`, { records: [task('NPS c')] })).status).toBe(200);
    const log = (await call('GET', '/_sandbox/writes', undefined, null)).body.writes;
    expect(log.map((w: Json) => [w.method, w.resource, w.types, w.records, w.status])).toEqual([
      ['POST', '/composite/sobjects', ['Task', 'Task'], 2, 503],
      ['POST', '/composite/sobjects', ['Task'], 1, 200],
    ]);
    expect(log[0].body.records[1].Subject).toBe('NPS b');
    const [first] = sandbox.tasks();
    expect((await call('GET', `/_sandbox/records/Task/${first.Id}`, undefined, null)).body.record).toMatchObject({
      Subject: 'NPS a',
      Status: 'Not Started',
      CreatedDate: expect.any(Number),
    });
    expect((await call('GET', `/_sandbox/tasks`, undefined, null)).body.tasks).toHaveLength(3);
    expect((await call('GET', `/_sandbox/records/Account/${first.Id}`, undefined, null)).status).toBe(404);
    await call('POST', '/_sandbox/reset-calls', {}, null);
    expect(sandbox.writes()).toEqual([]);
  });

  it('refuses an unknown action', async () => {
    expect((await control({ action: 'explode' })).status).toBe(400);
    expect((await control({ action: 'failAfterWrite', count: -1 })).status).toBe(400);
  });
});
