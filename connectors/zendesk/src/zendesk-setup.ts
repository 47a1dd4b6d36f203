import { HelpdeskSetupResult } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { listAll } from './cursor-list';
import { ticketSolvedBodyTemplate } from './map-webhook-payload';
import { ZendeskApi } from './zendesk-api';
import { ZendeskTrigger, ZendeskWebhook } from './zendesk-records';

/** POST /api/v2/webhooks: a JSON POST to our endpoint, invoked by triggers. */
function webhookBody(webhookUrl: string) {
  return {
    webhook: {
      name: zendeskDescriptor.webhookName,
      endpoint: webhookUrl,
      http_method: 'POST',
      request_format: 'json',
      status: 'active',
      subscriptions: [zendeskDescriptor.webhookSubscription],
    },
  };
}

/**
 * POST /api/v2/triggers: status changed to solved, on a ticket without our own tag (the
 * follow-up and task tickets nps-bridge creates) → notify our webhook with our body template.
 */
function triggerBody(webhookId: string) {
  return {
    trigger: {
      title: zendeskDescriptor.triggerTitle,
      description: 'Created by nps-bridge: tells nps-bridge a ticket was solved, so its requester gets an NPS survey.',
      active: true,
      conditions: { all: [{ ...zendeskDescriptor.solvedCondition }, { ...zendeskDescriptor.notOwnTicketCondition }], any: [] },
      actions: [{ field: zendeskDescriptor.webhookAction, value: [webhookId, ticketSolvedBodyTemplate()] }],
    },
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function findWebhook(api: ZendeskApi, webhookUrl: string, attempts: 'retry' | 'once'): Promise<ZendeskWebhook | undefined> {
  const webhooks = await listAll<ZendeskWebhook>(api, {
    service: 'webhooks',
    path: ['webhooks'],
    key: 'webhooks',
    query: { 'filter[name_contains]': zendeskDescriptor.webhookName },
    attempts,
  });
  return webhooks.find((w) => w.endpoint === webhookUrl && w.name === zendeskDescriptor.webhookName);
}

/**
 * Our webhook for this endpoint, made active; created only when there is none (a second setup
 * run reuses it, and a create whose answer was lost is looked for before it is sent again).
 */
async function ensureWebhook(api: ZendeskApi, webhookUrl: string): Promise<ZendeskWebhook> {
  const existing = await findWebhook(api, webhookUrl, 'retry');
  if (!existing) {
    return api.writeGuarded({
      what: 'create of the Zendesk webhook',
      send: () => api.once<ZendeskWebhook>('general', (client) => client.webhooks.create(webhookBody(webhookUrl))),
      landed: () => findWebhook(api, webhookUrl, 'once'),
    });
  }
  if (existing.status !== 'active') {
    // An admin may have paused it; running setup again means "make surveys flow", so it is switched back on (PUT: the whole webhook).
    await api.call('general', (client) => client.webhooks.update(existing.id, webhookBody(webhookUrl)));
  }
  return existing;
}

async function findTrigger(api: ZendeskApi, attempts: 'retry' | 'once'): Promise<ZendeskTrigger | undefined> {
  const triggers = await listAll<ZendeskTrigger>(api, { service: 'triggers', path: ['triggers'], key: 'triggers', attempts });
  return triggers.find((t) => t.title === zendeskDescriptor.triggerTitle);
}

/**
 * Our trigger by title: created when missing, rewritten when it no longer matches (it points at
 * an older webhook, or was made before the tag condition and the tags in the body existed).
 */
async function ensureTrigger(api: ZendeskApi, webhookId: string): Promise<ZendeskTrigger> {
  const desired = triggerBody(webhookId);
  const existing = await findTrigger(api, 'retry');
  if (!existing) {
    return api.writeGuarded({
      what: 'create of the Zendesk trigger',
      send: () => api.once<ZendeskTrigger>('general', (client) => client.triggers.create(desired)),
      landed: () => findTrigger(api, 'once'),
    });
  }
  const current =
    existing.active &&
    sameJson(existing.conditions.all ?? [], desired.trigger.conditions.all) &&
    (existing.conditions.any ?? []).length === 0 &&
    sameJson(existing.actions, desired.trigger.actions);
  if (current) return existing;
  return api.call<ZendeskTrigger>('general', (client) => client.triggers.update(existing.id, desired));
}

/**
 * The setup command: the webhook (reused when one of ours already calls this URL), its signing
 * secret, and the "status changed to solved" trigger that notifies it with our body template.
 * Running it twice creates nothing new.
 */
export async function setUpTicketSolvedWebhook(api: ZendeskApi, webhookUrl: string): Promise<HelpdeskSetupResult> {
  const webhook = await ensureWebhook(api, webhookUrl);
  const secret = await api.call<{ signing_secret: { secret: string; algorithm?: string } }>('general', (client) => client.webhooks.getSigningSecret(webhook.id));
  const trigger = await ensureTrigger(api, webhook.id);
  // The trigger is Zendesk's rule for "status changed to solved": the port calls it ruleId.
  return { webhookId: webhook.id, ruleId: String(trigger.id), signingSecret: secret.signing_secret.secret };
}
