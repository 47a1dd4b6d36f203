import nock from 'nock';
import { DATA, INSTANCE_URL, LOGIN_URL, queryPage, tokenResponse } from '../fixtures/records';
import { CrmFieldSpec, NPS_FIELD_SHAPES, NpsAccountField, NpsContactField } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { SalesforceConnector } from './salesforce-connector';

const HEADERS = { 'Content-Type': 'application/json' };
const TOOLING = `${DATA}/tooling/sobjects/CustomField`;
const SET_ID = '0PSDn0000001AbCGAU';
/** The user in tokenResponse's identity URL. */
const USER_ID = '005Dn000001IntgIAA';
const NO_ACCESS = 'You do not have the level of access necessary to perform the operation you requested.';

type Json = Record<string, unknown>;

const names = salesforceDescriptor.npsFieldNames;
const account = (f: NpsAccountField): CrmFieldSpec => ({ object: 'account', name: names[f], ...NPS_FIELD_SHAPES[f] });
const contact = (f: NpsContactField): CrmFieldSpec => ({ object: 'contact', name: names[f], ...NPS_FIELD_SHAPES[f] });

function connector() {
  return new SalesforceConnector({
    credentials: { authType: 'client_credentials', loginUrl: LOGIN_URL, clientId: '3MVG9client', clientSecret: 'secret' },
    settings: {},
    sleep: async () => undefined,
  });
}

const api = () => nock(INSTANCE_URL);
const signIn = () => nock(LOGIN_URL).post('/services/oauth2/token').reply(200, tokenResponse('00DDn!first'));
const describe_ = (object: string, fields: Json[]) =>
  api()
    .get(`${DATA}/sobjects/${object}/describe`)
    .reply(200, { name: object, fields: [{ name: 'Id', updateable: false }, ...fields] }, HEADERS);
const query = (soql: string, records: Json[]) => api().get(`${DATA}/query`).query({ q: soql }).reply(200, queryPage(records, records.length), HEADERS);

/** Tooling creates, answered per FullName; the bodies are kept in order. */
function tooling(bodies: Json[], answers: Record<string, [number, unknown]>) {
  return api()
    .post(TOOLING, (body: Json) => bodies.push(body) > 0)
    .times(Object.keys(answers).length)
    .reply((_uri, body) => answers[(body as Json).FullName as string]);
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('SalesforceConnector.ensureFields', () => {
  it('creates missing fields through Tooling, then grants the integration user read + edit with the NPS_Bridge permission set', async () => {
    signIn();
    describe_('Account', [
      { name: 'nps_relational__c', updateable: true },
      { name: 'NPS_Role_Gap__c', updateable: false },
    ]);
    describe_('Contact', [{ name: 'Email', updateable: true }]);
    const created = { id: '00NDn0000001AAA', success: true, errors: [], warnings: [], infos: [] };
    const toolingBodies: Json[] = [];
    tooling(toolingBodies, {
      'Account.NPS_Sentiment__c': [201, created],
      'Account.NPS_Last_Response_Date__c': [
        400,
        [{ errorCode: 'DUPLICATE_DEVELOPER_NAME', message: 'There is already a field named NPS_Last_Response_Date on Account.', fields: [] }],
      ],
      'Contact.NPS_Last_Comment__c': [201, created],
      'Contact.NPS_Last_Score__c': [201, created],
    });
    query("SELECT Id FROM PermissionSet WHERE Name = 'NPS_Bridge'", []);
    const setBodies: Json[] = [];
    api()
      .post(`${DATA}/sobjects/PermissionSet`, (body: Json) => setBodies.push(body) > 0)
      .reply(201, { id: SET_ID, success: true, errors: [] }, HEADERS);
    const permissionBodies: Json[] = [];
    api()
      .post(`${DATA}/composite/sobjects`, (body: Json) => permissionBodies.push(body) > 0)
      .reply(200, (_uri, body) => (body as { records: unknown[] }).records.map((_, i) => ({ id: `01kDn00000000${i}AAA`, success: true, errors: [] })), HEADERS);
    const assignment = api()
      .post(`${DATA}/sobjects/PermissionSetAssignment`, { PermissionSetId: SET_ID, AssigneeId: USER_ID })
      .reply(201, { id: '0PaDn0000001AAA', success: true, errors: [] }, HEADERS);
    const specs = [
      account('relationalNps'),
      account('roleGap'),
      account('sentiment'),
      account('lastResponseDate'),
      contact('lastRelationalComment'),
      contact('lastRelationalScore'),
    ];
    const c = connector();

    const result = await c.ensureFields(specs);

    expect(result).toEqual({
      created: [specs[2], specs[4], specs[5]],
      existing: [specs[0], specs[1], specs[3]],
      manual: [],
    });
    expect(toolingBodies.map((b) => b.FullName)).toEqual([
      'Account.NPS_Sentiment__c',
      'Account.NPS_Last_Response_Date__c',
      'Contact.NPS_Last_Comment__c',
      'Contact.NPS_Last_Score__c',
    ]);
    const help = (f: NpsAccountField | NpsContactField) => ({
      label: NPS_FIELD_SHAPES[f].label,
      description: NPS_FIELD_SHAPES[f].description,
      inlineHelpText: NPS_FIELD_SHAPES[f].description,
      required: false,
    });
    expect(toolingBodies[0].Metadata).toEqual({
      ...help('sentiment'),
      type: 'Picklist',
      valueSet: {
        restricted: true,
        valueSetDefinition: {
          sorted: false,
          value: [
            { fullName: 'promoter', label: 'promoter', default: false },
            { fullName: 'passive', label: 'passive', default: false },
            { fullName: 'detractor', label: 'detractor', default: false },
          ],
        },
      },
    });
    expect(toolingBodies[1].Metadata).toEqual({ ...help('lastResponseDate'), type: 'Date' });
    expect(toolingBodies[2].Metadata).toEqual({ ...help('lastRelationalComment'), type: 'LongTextArea', length: 32768, visibleLines: 3 });
    expect(toolingBodies[3].Metadata).toEqual({ ...help('lastRelationalScore'), type: 'Number', precision: 18, scale: 0 });
    expect(setBodies).toEqual([{ Name: 'NPS_Bridge', Label: 'NPS Bridge', Description: salesforceDescriptor.permissionSet.description }]);
    const grant = (object: string, field: string) => ({
      attributes: { type: 'FieldPermissions' },
      ParentId: SET_ID,
      SobjectType: object,
      Field: `${object}.${field}`,
      PermissionsRead: true,
      PermissionsEdit: true,
    });
    expect(permissionBodies).toEqual([
      {
        allOrNone: false,
        records: [
          grant('Account', 'NPS_Role_Gap__c'),
          grant('Account', 'NPS_Sentiment__c'),
          grant('Account', 'NPS_Last_Response_Date__c'),
          grant('Contact', 'NPS_Last_Comment__c'),
          grant('Contact', 'NPS_Last_Score__c'),
        ],
      },
    ]);
    expect(assignment.isDone()).toBe(true);
    // token, 2 describes, 4 Tooling creates, set lookup + create, field permissions, assignment
    expect(c.apiCalls()).toBe(11);
  });

  it("lists the fields for the admin with Salesforce's words when Tooling refuses, and grants nothing", async () => {
    signIn();
    describe_('Account', [{ name: 'NPS_Relational__c', updateable: true }]);
    tooling([], { 'Account.NPS_Role_Gap__c': [403, [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: NO_ACCESS, fields: [] }]] });
    const specs = [account('relationalNps'), account('roleGap'), { ...account('sentiment'), name: 'NPS Sentiment' }];
    const c = connector();

    expect(await c.ensureFields(specs)).toEqual({
      created: [],
      existing: [specs[0]],
      manual: [
        { ...specs[1], reason: `Account.NPS_Role_Gap__c could not be created: ${NO_ACCESS}` },
        { ...specs[2], reason: 'NPS Sentiment is not a custom field API name (letters, digits, single underscores, ending in __c)' },
      ],
    });
    expect(c.apiCalls()).toBe(3);
  });

  it('moves created fields to manual when the permission set cannot be created', async () => {
    signIn();
    describe_('Contact', []);
    tooling([], { 'Contact.NPS_Last_Score__c': [201, { id: '00NDn0000001AAA', success: true, errors: [] }] });
    query("SELECT Id FROM PermissionSet WHERE Name = 'NPS_Bridge'", []);
    api()
      .post(`${DATA}/sobjects/PermissionSet`)
      .reply(400, [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: NO_ACCESS, fields: [] }], HEADERS);
    const spec = contact('lastRelationalScore');

    expect(await connector().ensureFields([spec])).toEqual({
      created: [],
      existing: [],
      manual: [{ ...spec, reason: `read/edit access could not be granted: ${NO_ACCESS}` }],
    });
  });

  it('reuses an existing permission set: completes a partial grant, adds the missing one, keeps the assignment', async () => {
    signIn();
    describe_('Contact', [{ name: 'NPS_Last_Score__c', updateable: false }]);
    tooling([], { 'Contact.NPS_Last_Category__c': [201, { id: '00NDn0000001AAA', success: true, errors: [] }] });
    query("SELECT Id FROM PermissionSet WHERE Name = 'NPS_Bridge'", [{ Id: SET_ID }]);
    query(`SELECT Id, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = '${SET_ID}'`, [
      { Id: '01kDn0000000001AAA', Field: 'Contact.NPS_Last_Score__c', PermissionsRead: true, PermissionsEdit: false },
    ]);
    const bodies: Json[] = [];
    api()
      .post(`${DATA}/composite/sobjects`, (body: Json) => bodies.push(body) > 0)
      .reply(200, [{ success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'field integrity exception: unknown (Field)', fields: [] }] }], HEADERS);
    api()
      .patch(`${DATA}/composite/sobjects`, (body: Json) => bodies.push(body) > 0)
      .reply(200, [{ id: '01kDn0000000001AAA', success: true, errors: [] }], HEADERS);
    query(`SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = '${SET_ID}' AND AssigneeId = '${USER_ID}'`, [{ Id: '0PaDn0000001AAA' }]);
    const specs = [contact('lastRelationalScore'), contact('lastRelationalCategory')];
    const c = connector();

    expect(await c.ensureFields(specs)).toEqual({
      created: [],
      existing: [specs[0]],
      manual: [{ ...specs[1], reason: 'read/edit access could not be granted: field integrity exception: unknown (Field)' }],
    });
    expect(bodies).toEqual([
      {
        allOrNone: false,
        records: [
          {
            attributes: { type: 'FieldPermissions' },
            ParentId: SET_ID,
            SobjectType: 'Contact',
            Field: 'Contact.NPS_Last_Category__c',
            PermissionsRead: true,
            PermissionsEdit: true,
          },
        ],
      },
      { allOrNone: false, records: [{ attributes: { type: 'FieldPermissions' }, PermissionsRead: true, PermissionsEdit: true, Id: '01kDn0000000001AAA' }] },
    ]);
    expect(c.apiCalls()).toBe(8);
  });

  it('throws (for the next run) when the field permissions got no usable answer, rather than listing the fields for the admin', async () => {
    signIn();
    describe_('Contact', []);
    tooling([], { 'Contact.NPS_Last_Score__c': [201, { id: '00NDn0000001AAA', success: true, errors: [] }] });
    query("SELECT Id FROM PermissionSet WHERE Name = 'NPS_Bridge'", [{ Id: SET_ID }]);
    query(`SELECT Id, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = '${SET_ID}'`, []);
    const grant = api()
      .post(`${DATA}/composite/sobjects`)
      .once()
      .reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' }], HEADERS);

    await expect(connector().ensureFields([contact('lastRelationalScore')])).rejects.toMatchObject({ kind: 'unavailable', details: { code: 'SERVER_UNAVAILABLE' } });
    expect(grant.isDone()).toBe(true);
  });

  it('lists an object Salesforce will not describe, and throws an outage without resending the create', async () => {
    signIn();
    api()
      .get(`${DATA}/sobjects/Contact/describe`)
      .reply(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], HEADERS);
    const spec = contact('lastRelationalScore');
    expect((await connector().ensureFields([spec])).manual).toEqual([{ ...spec, reason: 'Salesforce did not describe Contact: The requested resource does not exist' }]);

    signIn();
    describe_('Account', []);
    const created = api()
      .post(TOOLING)
      .once()
      .reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' }], HEADERS);
    const resent = api().post(TOOLING).reply(201, { id: '00NDn0000001AAA', success: true, errors: [] });
    await expect(connector().ensureFields([account('roleGap')])).rejects.toMatchObject({ kind: 'unavailable', details: { code: 'SERVER_UNAVAILABLE' } });
    expect(created.isDone()).toBe(true);
    expect(resent.isDone()).toBe(false);
  });
});
