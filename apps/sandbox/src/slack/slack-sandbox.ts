import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, VendorSandbox } from '../kit/sandbox';

/** The token of the demo's incoming webhook: POST <base>/webhook/<token>. */
export const SLACK_SANDBOX_TOKEN = 'T0SANDBOX-B0ALERTS-nps';

/** One message the webhook accepted. */
export interface SlackMessage {
  id: number;
  token: string;
  text: string;
  /** The whole JSON payload as posted. */
  payload: Record<string, unknown>;
  receivedAt: string;
}

/**
 * Slack's incoming webhooks, as far as a sender sees them (Slack's "Sending messages using
 * incoming webhooks" and its 2016 change log on webhook errors): a POST of a JSON body with
 * `text` to the webhook's secret URL (or a form field `payload` holding that JSON) answers
 * 200 with the plain text `ok`; a body that cannot be read as that is 400 `invalid_payload`,
 * a message without text 400 `no_text`, an unknown or revoked URL 404 `no_service`, and Slack's
 * own trouble 500 `rollup_error`. Answers are text/html bodies of one word, not JSON. No
 * idempotency key exists: a repeated POST is a repeated message, which the sender must avoid.
 */
export class SlackSandbox implements VendorSandbox {
  readonly name = 'slack';
  private readonly received: SlackMessage[] = [];
  private requests = 0;
  private down = false;
  private readonly tokens: Set<string>;

  constructor(tokens: readonly string[] = [SLACK_SANDBOX_TOKEN]) {
    this.tokens = new Set(tokens);
  }

  /** While on, every webhook POST answers 500 rollup_error and keeps nothing (an outage). */
  outage(on: boolean): void {
    this.down = on;
  }

  messages(): SlackMessage[] {
    return [...this.received];
  }

  calls(): number {
    return this.requests;
  }

  resetCalls(): void {
    this.requests = 0;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    // Mounted at /sandbox/slack the path arrives relative; served on its own port it may carry the prefix.
    const path = (req.url ?? '/').split('?')[0].replace(/^\/sandbox\/slack(?=\/|$)/, '') || '/';
    if (req.method === 'GET' && (path === '/' || path === '')) return sendJson(res, 200, { messages: this.received });
    const hook = /^\/webhook\/([^/]+)$/.exec(path);
    if (!hook) return answer(res, 404, 'no_service');
    this.requests++;
    if (req.method !== 'POST') return answer(res, 405, 'invalid_method');
    readBody(req).then(
      (body) => this.post(decodeURIComponent(hook[1]), req.headers['content-type'] ?? '', body, res),
      () => answer(res, 400, 'invalid_payload'),
    );
  }

  private post(token: string, contentType: string, body: string, res: ServerResponse): void {
    if (!this.tokens.has(token)) return answer(res, 404, 'no_service');
    if (this.down) return answer(res, 500, 'rollup_error');
    const payload = parsePayload(contentType, body);
    if (!payload) return answer(res, 400, 'invalid_payload');
    if (typeof payload.text !== 'string' || payload.text.trim() === '') return answer(res, 400, 'no_text');
    this.received.push({ id: this.received.length + 1, token, text: payload.text, payload, receivedAt: new Date().toISOString() });
    answer(res, 200, 'ok');
  }
}

/** JSON (Content-Type application/json) or a form with a `payload` field holding the JSON. */
function parsePayload(contentType: string, body: string): Record<string, unknown> | null {
  let json = body;
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const field = new URLSearchParams(body).get('payload');
    if (field === null) return null;
    json = field;
  }
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function answer(res: ServerResponse, status: number, word: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(word) });
  res.end(word);
}
