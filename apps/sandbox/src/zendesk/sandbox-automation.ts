import { cursorPage } from './sandbox-paging';
import { SandboxData } from './sandbox-seed';
import { Answer, NOT_FOUND, recordInvalid } from './sandbox-answers';
import { SandboxTrigger, SandboxWebhook, webhookJson, zendeskTime } from './sandbox-records';
import { deliver, newSigningSecret, newWebhookId, renderTemplate, TicketChange, triggerFires, WebhookCall } from './sandbox-webhooks';

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface AutomationOptions {
  now: () => number;
  dropWebhooks: boolean;
  webhookAttempts: number;
  webhookRetryDelayMs: number;
}

/**
 * Webhooks and triggers: the setup command's endpoints, and the "status changed to solved" →
 * notification_webhook path that makes the sandbox call a webhook, signed, like Zendesk.
 */
export class SandboxAutomation {
  readonly webhooks = new Map<string, SandboxWebhook>();
  readonly triggers = new Map<number, SandboxTrigger>();
  readonly calls: WebhookCall[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private dropNext = 0;

  constructor(
    private readonly data: SandboxData,
    private readonly options: AutomationOptions,
  ) {}

  dropNextWebhooks(n: number): void {
    this.dropNext += n;
  }

  /** Resolves when every delivery started so far has finished (retries included). */
  async delivered(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Runs the triggers for one ticket change; deliveries go out in the background, like Zendesk's. */
  ticketChanged(change: TicketChange): void {
    const triggers = [...this.triggers.values()].sort((a, b) => a.position - b.position);
    for (const trigger of triggers.filter((t) => triggerFires(t, change))) {
      for (const action of trigger.actions) {
        if (action.field !== 'notification_webhook' || !Array.isArray(action.value)) continue;
        const [webhookId, template] = action.value as [string, string];
        const webhook = this.webhooks.get(webhookId);
        if (!webhook || webhook.status !== 'active') continue;
        const body = renderTemplate(template, this.data, change.ticket, this.options.now());
        if (this.options.dropWebhooks || this.dropNext > 0) {
          this.dropNext = Math.max(0, this.dropNext - 1);
          this.calls.push({ webhookId, invocationId: '', endpoint: webhook.endpoint, attempt: 1, headers: {}, body, status: null, error: null, dropped: true });
          continue;
        }
        const sending = deliver(webhook, body, {
          now: this.options.now,
          attempts: this.options.webhookAttempts,
          retryDelayMs: this.options.webhookRetryDelayMs,
          record: (call) => this.calls.push(call),
        }).finally(() => this.inFlight.delete(sending));
        this.inFlight.add(sending);
      }
    }
  }

  route(method: string, parts: string[], query: URLSearchParams, body: unknown): Answer | undefined {
    const [resource, id, sub] = parts;
    if (resource === 'webhooks') {
      if (method === 'POST' && !id) return this.createWebhook(body);
      if (method === 'GET' && !id) {
        const filter = query.get('filter[name_contains]')?.toLowerCase() ?? '';
        const found = [...this.webhooks.values()].filter((w) => w.name.toLowerCase().includes(filter)).map(webhookJson);
        return { status: 200, body: cursorPage(found, query, 'webhooks', '/api/v2/webhooks') };
      }
      const webhook = id ? this.webhooks.get(id) : undefined;
      if (!webhook) return { status: 404, body: { errors: [{ code: 'WebhookNotFound', title: 'Webhook not found', detail: `No webhook ${id}` }] } };
      if (method === 'GET' && sub === 'signing_secret') return { status: 200, body: { signing_secret: { algorithm: 'SHA256', secret: webhook.signingSecret } } };
      if (method === 'GET' && !sub) return { status: 200, body: { webhook: webhookJson(webhook) } };
      if (method === 'PUT' && !sub) return this.replaceWebhook(webhook, body);
    }
    if (resource === 'triggers') {
      if (method === 'POST' && !id) return this.saveTrigger(undefined, body);
      if (method === 'GET' && !id)
        return { status: 200, body: { ...cursorPage([...this.triggers.values()], query, 'triggers', '/api/v2/triggers.json'), count: this.triggers.size } };
      const trigger = this.triggers.get(Number(id));
      if (!trigger) return NOT_FOUND;
      if (method === 'GET') return { status: 200, body: { trigger } };
      if (method === 'PUT') return this.saveTrigger(trigger, body);
    }
    return undefined;
  }

  private webhookInput(body: unknown): { fields: Omit<SandboxWebhook, 'id' | 'created_at' | 'signingSecret'> } | { refused: Answer } {
    const w = isObject(body) && isObject(body.webhook) ? body.webhook : {};
    const invalid = (field: string, detail: string) => ({ refused: { status: 400, body: { errors: [{ code: 'InvalidInput', title: `Invalid ${field}`, detail }] } } });
    if (typeof w.name !== 'string' || !w.name) return invalid('name', 'name is required');
    if (typeof w.endpoint !== 'string' || !/^https?:\/\//.test(w.endpoint)) return invalid('endpoint', 'endpoint must be an http(s) URL');
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(String(w.http_method))) return invalid('http_method', 'http_method is not valid');
    if (!['json', 'xml', 'form_encoded'].includes(String(w.request_format))) return invalid('request_format', 'request_format is not valid');
    if (!['active', 'inactive'].includes(String(w.status))) return invalid('status', 'status must be active or inactive');
    const subscriptions = Array.isArray(w.subscriptions) ? w.subscriptions.map(String) : [];
    const status = w.status as SandboxWebhook['status'];
    return { fields: { name: w.name, endpoint: w.endpoint, http_method: String(w.http_method), request_format: String(w.request_format), status, subscriptions } };
  }

  private createWebhook(body: unknown): Answer {
    const input = this.webhookInput(body);
    if ('refused' in input) return input.refused;
    const webhook: SandboxWebhook = { id: newWebhookId(), ...input.fields, created_at: zendeskTime(this.options.now()), signingSecret: newSigningSecret() };
    this.webhooks.set(webhook.id, webhook);
    return { status: 201, body: { webhook: webhookJson(webhook) } };
  }

  private replaceWebhook(webhook: SandboxWebhook, body: unknown): Answer {
    const input = this.webhookInput(body);
    if ('refused' in input) return input.refused;
    Object.assign(webhook, input.fields);
    return { status: 204, body: undefined };
  }

  private saveTrigger(existing: SandboxTrigger | undefined, body: unknown): Answer {
    const t = isObject(body) && isObject(body.trigger) ? body.trigger : {};
    const title = t.title ?? existing?.title;
    if (typeof title !== 'string' || !title) return recordInvalid('title', 'Title: cannot be blank', 'BlankValue');
    const actions = (t.actions ?? existing?.actions) as SandboxTrigger['actions'] | undefined;
    if (!Array.isArray(actions) || actions.length === 0) return recordInvalid('actions', 'Actions: cannot be blank', 'BlankValue');
    for (const action of actions) {
      if (action.field !== 'notification_webhook') continue;
      const value = action.value;
      if (!Array.isArray(value) || typeof value[0] !== 'string' || typeof value[1] !== 'string' || !this.webhooks.has(value[0])) {
        return recordInvalid('actions', 'Actions: notification_webhook needs [webhook id, body] with an existing webhook');
      }
    }
    const conditions = isObject(t.conditions) ? t.conditions : (existing?.conditions ?? {});
    const now = zendeskTime(this.options.now());
    const trigger: SandboxTrigger = {
      id: existing?.id ?? this.data.nextId.trigger++,
      title,
      description: typeof t.description === 'string' ? t.description : (existing?.description ?? null),
      active: typeof t.active === 'boolean' ? t.active : (existing?.active ?? true),
      position: existing?.position ?? this.triggers.size + 1,
      conditions: { all: (conditions.all as SandboxTrigger['conditions']['all']) ?? [], any: (conditions.any as SandboxTrigger['conditions']['any']) ?? [] },
      actions,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    this.triggers.set(trigger.id, trigger);
    return { status: existing ? 200 : 201, body: { trigger } };
  }
}
