import nock from 'nock';
import { zendeskConnector } from './';

const ZENDESK = 'https://acme.zendesk.com';
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

function connect() {
  return zendeskConnector.create({
    credentials: { authType: 'api_token', subdomain: 'acme', email: 'admin@acme.test', apiToken: 'tok' },
    settings: zendeskConnector.withDefaults({ requestsPerMinute: 2500 }),
    sleep: async () => undefined,
  });
}

const SYSTEM = [
  { id: 21, type: 'subject', title: 'Subject', active: true, removable: false },
  { id: 22, type: 'status', title: 'Status', active: true, removable: false },
];
const CREATE_REQUEST = {
  ticket_field: {
    type: 'integer',
    title: 'NPS score',
    description: 'The 0–10 answer to the NPS survey sent after this ticket was solved.',
    agent_description: 'Written by nps-bridge when the requester answers its NPS survey; the tag and private note carry the same answer.',
    active: true,
    required: false,
    visible_in_portal: false,
    editable_in_portal: false,
  },
};
const page = (fields: unknown[], more?: string) => ({ ticket_fields: fields, meta: { has_more: more !== undefined, after_cursor: more ?? null } });

describe('ZendeskConnector.ensureScoreField', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  // Restore too: node:http is shared by the worker's test files, and a hook left behind breaks the next file's nock.
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('finds the active integer field titled "NPS score", reading every page, and creates nothing', async () => {
    const scope = nock(ZENDESK)
      .get('/api/v2/ticket_fields.json')
      .query({ 'page[size]': '100' })
      .reply(200, page([...SYSTEM, { id: 360000000007, type: 'text', title: 'NPS score', active: true, removable: true }], 'f1'), JSON_HEADERS)
      .get('/api/v2/ticket_fields.json')
      .query({ 'page[size]': '100', 'page[after]': 'f1' })
      .reply(
        200,
        page([
          { id: 360000000003, type: 'integer', title: 'NPS score', active: false, removable: true },
          { id: 360000000009, type: 'integer', title: 'nps score ', active: true, removable: true },
        ]),
        JSON_HEADERS,
      );
    expect(await connect().ensureScoreField()).toEqual({ id: '360000000009', created: false });
    expect(scope.isDone()).toBe(true);
  });

  it('creates an integer field agents see and end users do not when there is none', async () => {
    const scope = nock(ZENDESK)
      .get('/api/v2/ticket_fields.json')
      .query({ 'page[size]': '100' })
      .reply(200, page(SYSTEM), JSON_HEADERS)
      .post('/api/v2/ticket_fields.json', CREATE_REQUEST)
      .reply(201, { ticket_field: { id: 360000000042, type: 'integer', title: 'NPS score', active: true } }, JSON_HEADERS);
    expect(await connect().ensureScoreField()).toEqual({ id: '360000000042', created: true });
    expect(scope.isDone()).toBe(true);
  });

  it('lists the fields again instead of creating a second one when the create got no answer', async () => {
    const scope = nock(ZENDESK)
      .get('/api/v2/ticket_fields.json')
      .query(true)
      .reply(200, page(SYSTEM), JSON_HEADERS)
      .post('/api/v2/ticket_fields.json', CREATE_REQUEST)
      .reply(500, { error: 'InternalError' }, JSON_HEADERS)
      .get('/api/v2/ticket_fields.json')
      .query(true)
      .reply(200, page([...SYSTEM, { id: 360000000043, type: 'integer', title: 'NPS score', active: true, removable: true }]), JSON_HEADERS);
    expect(await connect().ensureScoreField()).toEqual({ id: '360000000043', created: true });
    expect(scope.isDone()).toBe(true);
  });
});

describe('zendeskConnector.withScoreField', () => {
  it('stores the opaque id as the number field id the connector writes scores to, keeping the other settings', () => {
    expect(zendeskConnector.withScoreField({ requestsPerMinute: 100 }, '360000000042')).toEqual({ requestsPerMinute: 100, npsScoreFieldId: 360000000042 });
  });

  it('refuses an id Zendesk would never issue', () => {
    expect(() => zendeskConnector.withScoreField({}, 'nps')).toThrow('scoreFieldId "nps" is not a Zendesk id');
  });
});
