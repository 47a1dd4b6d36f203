import nock from 'nock';
import { zendeskConnector } from './';

const ZENDESK = 'https://acme.zendesk.com';
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };
const RECEIVER = 'https://nps.example.com/webhooks/zendesk/conn-42';
const WEBHOOK_ID = '01HQ3ZK0PB8M4J0V3R5G0YV2N8';
const SECRET = 'dGhpcy1pcy1hLXNhbmRib3gtc2VjcmV0';

/** The template exactly as Zendesk should store it on the trigger. */
const TEMPLATE = `{
  "ticket_id": "{{ticket.id}}",
  "status": "{{ticket.status}}",
  "requester_id": "{{ticket.requester.id}}",
  "requester_email": "{{ticket.requester.email}}",
  "requester_name": "{{ticket.requester.name}}",
  "organization_id": "{{ticket.organization.id}}",
  "organization_external_id": "{{ticket.organization.external_id}}",
  "group_id": "{{ticket.group.id}}",
  "assignee_id": "{{ticket.assignee.id}}",
  "subject": "{{ticket.title}}",
  "updated_at": "{{ticket.updated_at_with_timestamp}}",
  "tags": "{{ticket.tags}}"
}`;

const WEBHOOK_REQUEST = {
  webhook: {
    name: 'nps-bridge: ticket solved',
    endpoint: RECEIVER,
    http_method: 'POST',
    request_format: 'json',
    status: 'active',
    subscriptions: ['conditional_ticket_events'],
  },
};

const TRIGGER_REQUEST = {
  trigger: {
    title: 'nps-bridge: send an NPS survey when a ticket is solved',
    description: 'Created by nps-bridge: tells nps-bridge a ticket was solved, so its requester gets an NPS survey.',
    active: true,
    conditions: {
      all: [
        { field: 'status', operator: 'value', value: 'solved' },
        // Our own follow-up and task tickets (tagged nps_bridge) never ask for a survey.
        { field: 'current_tags', operator: 'not_includes', value: 'nps_bridge' },
      ],
      any: [],
    },
    actions: [{ field: 'notification_webhook', value: [WEBHOOK_ID, TEMPLATE] }],
  },
};

const WEBHOOK = { id: WEBHOOK_ID, ...WEBHOOK_REQUEST.webhook, created_at: '2026-03-02T09:00:00Z' };
const TRIGGER = { id: 9001, url: `${ZENDESK}/api/v2/triggers/9001.json`, position: 4, ...TRIGGER_REQUEST.trigger };
const emptyList = (key: string) => ({ [key]: [], meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { next: null, prev: null } });

function connect() {
  return zendeskConnector.create({
    credentials: { authType: 'api_token', subdomain: 'acme', email: 'admin@acme.test', apiToken: 'tok' },
    settings: zendeskConnector.withDefaults({ requestsPerMinute: 2500 }),
    sleep: async () => undefined,
  });
}

describe('ZendeskConnector.setup', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  // Restore too: node:http is shared by the worker's test files, and a hook left behind breaks the next file's nock.
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('creates the webhook and the solved trigger with exactly the bodies Zendesk expects', async () => {
    const scope = nock(ZENDESK)
      .get('/api/v2/webhooks')
      .query({ 'filter[name_contains]': 'nps-bridge: ticket solved', 'page[size]': '100' })
      .reply(200, emptyList('webhooks'), JSON_HEADERS)
      .post('/api/v2/webhooks', WEBHOOK_REQUEST)
      .reply(201, { webhook: WEBHOOK }, JSON_HEADERS)
      .get(`/api/v2/webhooks/${WEBHOOK_ID}/signing_secret`)
      .reply(200, { signing_secret: { algorithm: 'SHA256', secret: SECRET } }, JSON_HEADERS)
      .get('/api/v2/triggers.json')
      .query({ 'page[size]': '100' })
      .reply(200, emptyList('triggers'), JSON_HEADERS)
      .post('/api/v2/triggers.json', TRIGGER_REQUEST)
      .reply(201, { trigger: TRIGGER }, JSON_HEADERS);

    expect(await connect().setup(RECEIVER)).toEqual({ webhookId: WEBHOOK_ID, ruleId: '9001', signingSecret: SECRET });
    expect(scope.isDone()).toBe(true);
  });

  it('reuses its webhook and trigger on a second run, paging through the trigger list to find it', async () => {
    const other = { id: 12, title: 'Notify requester of comment update', active: true, conditions: { all: [], any: [] }, actions: [] };
    const scope = nock(ZENDESK)
      .get('/api/v2/webhooks')
      .query({ 'filter[name_contains]': 'nps-bridge: ticket solved', 'page[size]': '100' })
      .reply(200, { webhooks: [{ ...WEBHOOK, endpoint: 'https://old.example.com/hook' }, WEBHOOK], meta: { has_more: false, after_cursor: 'w2' } }, JSON_HEADERS)
      .get(`/api/v2/webhooks/${WEBHOOK_ID}/signing_secret`)
      .reply(200, { signing_secret: { algorithm: 'SHA256', secret: SECRET } }, JSON_HEADERS)
      .get('/api/v2/triggers.json')
      .query({ 'page[size]': '100' })
      .reply(200, { triggers: [other], meta: { has_more: true, after_cursor: 't1' } }, JSON_HEADERS)
      .get('/api/v2/triggers.json')
      .query({ 'page[size]': '100', 'page[after]': 't1' })
      .reply(200, { triggers: [TRIGGER], meta: { has_more: false, after_cursor: 't2' } }, JSON_HEADERS);

    expect(await connect().setup(RECEIVER)).toEqual({ webhookId: WEBHOOK_ID, ruleId: '9001', signingSecret: SECRET });
    expect(scope.isDone()).toBe(true);
  });

  it('points its existing trigger at a new webhook instead of adding a second trigger', async () => {
    const stale = { ...TRIGGER, actions: [{ field: 'notification_webhook', value: ['01OLDWEBHOOK0000000000000', TEMPLATE] }] };
    const scope = nock(ZENDESK)
      .get('/api/v2/webhooks')
      .query(true)
      .reply(200, emptyList('webhooks'), JSON_HEADERS)
      .post('/api/v2/webhooks', WEBHOOK_REQUEST)
      .reply(201, { webhook: WEBHOOK }, JSON_HEADERS)
      .get(`/api/v2/webhooks/${WEBHOOK_ID}/signing_secret`)
      .reply(200, { signing_secret: { algorithm: 'SHA256', secret: SECRET } }, JSON_HEADERS)
      .get('/api/v2/triggers.json')
      .query(true)
      .reply(200, { triggers: [stale], meta: { has_more: false } }, JSON_HEADERS)
      .put('/api/v2/triggers/9001.json', TRIGGER_REQUEST)
      .reply(200, { trigger: TRIGGER }, JSON_HEADERS);

    expect(await connect().setup(RECEIVER)).toEqual({ webhookId: WEBHOOK_ID, ruleId: '9001', signingSecret: SECRET });
    expect(scope.isDone()).toBe(true);
  });

  it('rewrites a trigger made before the tag condition and the tags in the body existed', async () => {
    const oldTemplate = TEMPLATE.replace(',\n  "tags": "{{ticket.tags}}"', '');
    expect(oldTemplate).not.toContain('tags');
    const old = {
      ...TRIGGER,
      conditions: { all: [{ field: 'status', operator: 'value', value: 'solved' }], any: [] },
      actions: [{ field: 'notification_webhook', value: [WEBHOOK_ID, oldTemplate] }],
    };
    const scope = nock(ZENDESK)
      .get('/api/v2/webhooks')
      .query(true)
      .reply(200, { webhooks: [WEBHOOK], meta: { has_more: false } }, JSON_HEADERS)
      .get(`/api/v2/webhooks/${WEBHOOK_ID}/signing_secret`)
      .reply(200, { signing_secret: { algorithm: 'SHA256', secret: SECRET } }, JSON_HEADERS)
      .get('/api/v2/triggers.json')
      .query(true)
      .reply(200, { triggers: [old], meta: { has_more: false } }, JSON_HEADERS)
      .put('/api/v2/triggers/9001.json', TRIGGER_REQUEST)
      .reply(200, { trigger: TRIGGER }, JSON_HEADERS);

    expect(await connect().setup(RECEIVER)).toEqual({ webhookId: WEBHOOK_ID, ruleId: '9001', signingSecret: SECRET });
    expect(scope.isDone()).toBe(true);
  });

  it('looks for its trigger before creating it again when a create got no answer', async () => {
    const scope = nock(ZENDESK)
      .get('/api/v2/webhooks')
      .query(true)
      .reply(200, { webhooks: [WEBHOOK], meta: { has_more: false } }, JSON_HEADERS)
      .get(`/api/v2/webhooks/${WEBHOOK_ID}/signing_secret`)
      .reply(200, { signing_secret: { algorithm: 'SHA256', secret: SECRET } }, JSON_HEADERS)
      .get('/api/v2/triggers.json')
      .query(true)
      .reply(200, emptyList('triggers'), JSON_HEADERS)
      .post('/api/v2/triggers.json', TRIGGER_REQUEST)
      .reply(502, { error: 'BadGateway' }, JSON_HEADERS)
      .get('/api/v2/triggers.json')
      .query(true)
      .reply(200, { triggers: [TRIGGER], meta: { has_more: false } }, JSON_HEADERS);

    expect(await connect().setup(RECEIVER)).toEqual({ webhookId: WEBHOOK_ID, ruleId: '9001', signingSecret: SECRET });
    expect(scope.isDone()).toBe(true);
  });

  it('switches its paused webhook back on', async () => {
    const scope = nock(ZENDESK)
      .get('/api/v2/webhooks')
      .query(true)
      .reply(200, { webhooks: [{ ...WEBHOOK, status: 'inactive' }], meta: { has_more: false } }, JSON_HEADERS)
      .put(`/api/v2/webhooks/${WEBHOOK_ID}`, WEBHOOK_REQUEST)
      .reply(204)
      .get(`/api/v2/webhooks/${WEBHOOK_ID}/signing_secret`)
      .reply(200, { signing_secret: { algorithm: 'SHA256', secret: SECRET } }, JSON_HEADERS)
      .get('/api/v2/triggers.json')
      .query(true)
      .reply(200, { triggers: [TRIGGER], meta: { has_more: false } }, JSON_HEADERS);

    await connect().setup(RECEIVER);
    expect(scope.isDone()).toBe(true);
  });
});
