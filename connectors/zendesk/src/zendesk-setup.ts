import { HelpdeskSetupResult, paginate } from '../../core/src';
import { zendeskDescriptor } from '../descriptor';
import { ticketSolvedBodyTemplate } from './map-webhook-payload';
import { PathSegments, ZendeskApi } from './zendesk-api';
import { CursorListPage, ZendeskTrigger, ZendeskWebhook } from './zendesk-records';

/** POST /api/v2/webhooks: a JSON POST to our endpoint, invoked by triggers. */
export function webhookBody(webhookUrl: string) {
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

/** POST /api/v2/triggers: status changed to solved → notify our webhook with our body template. */
export function triggerBody(webhookId: string) {
  return {
    trigger: {
      title: zendeskDescriptor.triggerTitle,
      description: 'Created by nps-bridge: tells nps-bridge a ticket was solved, so its requester gets an NPS survey.',
      active: true,
      conditions: { all: [{ ...zendeskDescriptor.solvedCondition }], any: [] },
      actions: [{ field: zendeskDescriptor.webhookAction, value: [webhookId, ticketSolvedBodyTemplate()] }],
    },
  };
}

/** Every record of a cursor-paginated list (webhooks, triggers), through core paginate. */
async function listAll<T>(api: ZendeskApi, path: 'webhooks' | 'triggers', key: string, filter: Record<string, string> = {}): Promise<T[]> {
  const found: T[] = [];
  const fetchPage = async (after: string | undefined) => {
    const query: Record<string, string | number> = { ...filter, 'page[size]': 100, ...(after ? { 'page[after]': after } : {}) };
    const page = await api.raw<CursorListPage & Record<string, unknown>>('general', path, 'GET', [path, query] as PathSegments);
    const next = page.meta?.has_more && page.meta.after_cursor ? page.meta.after_cursor : undefined;
    return { items: (page[key] as T[] | undefined) ?? [], next };
  };
  for await (const page of paginate<T, string>(undefined, fetchPage)) found.push(...page.items);
  return found;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Our webhook for this endpoint, made active; created only when there is none (a second setup run reuses it). */
async function ensureWebhook(api: ZendeskApi, webhookUrl: string): Promise<ZendeskWebhook> {
  const webhooks = await listAll<ZendeskWebhook>(api, 'webhooks', 'webhooks', { 'filter[name_contains]': zendeskDescriptor.webhookName });
  const existing = webhooks.find((w) => w.endpoint === webhookUrl && w.name === zendeskDescriptor.webhookName);
  if (!existing) return api.call<ZendeskWebhook>('general', (client) => client.webhooks.create(webhookBody(webhookUrl)));
  if (existing.status !== 'active') {
    // An admin may have paused it; running setup again means "make surveys flow", so it is switched back on (PUT: the whole webhook).
    await api.call('general', (client) => client.webhooks.update(existing.id, webhookBody(webhookUrl)));
  }
  return existing;
}

/** Our trigger by title: created when missing, rewritten when it no longer matches (e.g. it points at an older webhook). */
async function ensureTrigger(api: ZendeskApi, webhookId: string): Promise<ZendeskTrigger> {
  const desired = triggerBody(webhookId);
  const triggers = await listAll<ZendeskTrigger>(api, 'triggers', 'triggers');
  const existing = triggers.find((t) => t.title === zendeskDescriptor.triggerTitle);
  if (!existing) return api.call<ZendeskTrigger>('general', (client) => client.triggers.create(desired));
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
  const secret = await api.call<{ signing_secret: { secret: string; algorithm?: string } }>('general', (client) =>
    client.webhooks.getSigningSecret(webhook.id),
  );
  const trigger = await ensureTrigger(api, webhook.id);
  return { webhookId: webhook.id, triggerId: String(trigger.id), signingSecret: secret.signing_secret.secret };
}
