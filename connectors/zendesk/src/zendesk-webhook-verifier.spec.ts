import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebhookPayloadRejected, WebhookRejected } from '@connectors/core/src';
import { zendeskConnector } from './';
import { ticketSolvedBodyTemplate } from './map-webhook-payload';

/** A delivery as Zendesk sent it for ticket 4711: our template rendered, signed at 08:41:39. */
const body = readFileSync(join(__dirname, '../fixtures/ticket-solved-webhook.json'));
const secret = 'dGhpcy1pcy1hLXNhbmRib3gtc2VjcmV0';
const timestamp = '2026-03-02T08:41:39Z';
const signedAt = Date.parse(timestamp);
const verifier = zendeskConnector.webhookVerifier;

function sign(raw: Buffer, at = timestamp): string {
  return createHmac('sha256', secret)
    .update(at + raw.toString('utf8'))
    .digest('base64');
}

function headers(overrides: Record<string, string | undefined> = {}, raw = body) {
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-zendesk-webhook-id': '01HQ3ZK0PB8M4J0V3R5G0YV2N8',
    'x-zendesk-webhook-invocation-id': '8350205582',
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': sign(raw),
    ...overrides,
  };
}

function rejection(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookRejected);
    return (error as Error).message;
  }
  throw new Error('expected a WebhookRejected');
}

describe('ZendeskWebhookVerifier', () => {
  it('accepts a correctly signed, fresh delivery and reads our template', () => {
    // The fixture's signature, computed once: guards the algorithm, not just agreement with ourselves.
    expect(sign(body)).toBe('YctDRBY96/2Mvgcj07kjJrGVdlGQkjUlPTVn3E/0+wY=');
    const event = verifier.verify({ rawBody: body, headers: headers(), signingSecret: secret, now: new Date(signedAt + 2_000) });
    expect(event).toEqual({
      deliveryId: '8350205582',
      contentKey: createHash('sha256')
        .update(timestamp + body.toString('utf8'))
        .digest('hex'),
      ticket: {
        externalId: '4711',
        status: 'solved',
        subject: 'Export "stuck" at 99%',
        requesterExternalId: '36201',
        requesterEmail: 'dana.scully@acme.test',
        requesterName: 'Dana Scully',
        organizationExternalId: '7301',
        organizationCrmAccountId: '001Dn00000ACMEcorp',
        groupExternalId: '360004',
        assigneeExternalId: '880012',
        solvedAt: '2026-03-02T08:41:00.000Z',
        updatedAt: '2026-03-02T08:41:00.000Z',
        tags: ['export', 'sla_gold'],
      },
    });
  });

  it('accepts header names in any case and array values, as frameworks pass them', () => {
    const event = verifier.verify({
      rawBody: body,
      headers: { 'X-Zendesk-Webhook-Signature': [sign(body)], 'X-Zendesk-Webhook-Signature-Timestamp': timestamp },
      signingSecret: secret,
      now: new Date(signedAt),
    });
    expect(event.ticket.externalId).toBe('4711');
  });

  it('rejects a signature made with another secret', () => {
    const forged = createHmac('sha256', 'another-secret')
      .update(timestamp + body.toString())
      .digest('base64');
    expect(rejection(() => verifier.verify({ rawBody: body, headers: headers({ 'x-zendesk-webhook-signature': forged }), signingSecret: secret, now: new Date(signedAt) }))).toBe(
      'signature does not match the body',
    );
  });

  it('rejects a body changed after signing', () => {
    const tampered = Buffer.from(body.toString().replace('"Solved"', '"Open"'));
    expect(rejection(() => verifier.verify({ rawBody: tampered, headers: headers(), signingSecret: secret, now: new Date(signedAt) }))).toBe('signature does not match the body');
  });

  it('rejects a replay more than 5 minutes old, and accepts one exactly 5 minutes old', () => {
    const at = (ms: number) => () => verifier.verify({ rawBody: body, headers: headers(), signingSecret: secret, now: new Date(signedAt + ms) });
    expect(at(5 * 60_000)().ticket.externalId).toBe('4711');
    expect(rejection(at(5 * 60_000 + 1_000))).toBe('signature timestamp 2026-03-02T08:41:39Z is more than 5 minutes old');
  });

  it('rejects a timestamp more than 5 minutes in the future', () => {
    expect(rejection(() => verifier.verify({ rawBody: body, headers: headers(), signingSecret: secret, now: new Date(signedAt - 5 * 60_000 - 1_000) }))).toBe(
      'signature timestamp 2026-03-02T08:41:39Z is more than 5 minutes in the future',
    );
  });

  it('rejects a call without the signature or the timestamp header', () => {
    const now = new Date(signedAt);
    expect(rejection(() => verifier.verify({ rawBody: body, headers: headers({ 'x-zendesk-webhook-signature': undefined }), signingSecret: secret, now }))).toBe(
      'missing x-zendesk-webhook-signature header',
    );
    expect(rejection(() => verifier.verify({ rawBody: body, headers: headers({ 'x-zendesk-webhook-signature-timestamp': '' }), signingSecret: secret, now }))).toBe(
      'missing x-zendesk-webhook-signature-timestamp header',
    );
  });

  it('rejects a correctly signed body whose status is not a Zendesk status', () => {
    const raw = Buffer.from(body.toString().replace('"Solved"', '"Escalated"'));
    expect(
      rejection(() => verifier.verify({ rawBody: raw, headers: headers({ 'x-zendesk-webhook-signature': sign(raw) }, raw), signingSecret: secret, now: new Date(signedAt) })),
    ).toBe('status is not a Zendesk ticket status (got "Escalated")');
  });

  it('rejects a correctly signed body that is not our template', () => {
    const raw = Buffer.from('{"ticket_id":"abc","status":"solved","updated_at":"2026-03-02T08:41Z"}');
    expect(
      rejection(() => verifier.verify({ rawBody: raw, headers: headers({ 'x-zendesk-webhook-signature': sign(raw) }, raw), signingSecret: secret, now: new Date(signedAt) })),
    ).toBe('ticket_id is not a Zendesk id (got "abc")');
  });

  it('identifies a delivery without an invocation id by its signature and timestamp', () => {
    const verify = (h: Record<string, string | undefined>) =>
      verifier.verify({ rawBody: body, headers: headers({ 'x-zendesk-webhook-invocation-id': undefined, ...h }), signingSecret: secret, now: new Date(signedAt) }).deliveryId;
    const first = verify({});
    expect(first).toMatch(/^sig-[0-9a-f]{32}$/);
    expect(verify({})).toBe(first);
    const later = '2026-03-02T08:42:00Z';
    expect(verify({ 'x-zendesk-webhook-signature-timestamp': later, 'x-zendesk-webhook-signature': sign(body, later) })).not.toBe(first);
  });

  it('reads what the template renders to for a ticket without organization, group or assignee', () => {
    const rendered = ticketSolvedBodyTemplate()
      .replace('{{ticket.id}}', '12')
      .replace('{{ticket.status}}', 'Solved')
      .replace('{{ticket.updated_at_with_timestamp}}', '2026-03-02T08:41Z')
      .replace('{{ticket.title}}', 'Hi')
      .replace(/\{\{[^}]+\}\}/g, '');
    const raw = Buffer.from(rendered);
    const event = verifier.verify({ rawBody: raw, headers: headers({ 'x-zendesk-webhook-signature': sign(raw) }, raw), signingSecret: secret, now: new Date(signedAt) });
    expect(event.ticket).toEqual({
      externalId: '12',
      status: 'solved',
      subject: 'Hi',
      requesterExternalId: null,
      requesterEmail: null,
      requesterName: null,
      organizationExternalId: null,
      organizationCrmAccountId: null,
      groupExternalId: null,
      assigneeExternalId: null,
      solvedAt: '2026-03-02T08:41:00.000Z',
      updatedAt: '2026-03-02T08:41:00.000Z',
      tags: [],
    });
  });

  it('refuses a body without tags: a trigger set up before they were added, which would also fire for our own tickets', () => {
    const withoutTags = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    delete withoutTags.tags;
    const raw = Buffer.from(JSON.stringify(withoutTags));
    const run = () => verifier.verify({ rawBody: raw, headers: headers({ 'x-zendesk-webhook-signature': sign(raw) }, raw), signingSecret: secret, now: new Date(signedAt) });
    expect(rejection(run)).toBe('tags is not the space-separated tag text (got nothing)');
  });

  describe('a signed body that cannot be taken is refused on its own (400), naming the field', () => {
    /** Our fixture with `change` applied, signed correctly: the signature is not the problem. */
    function signedWith(change: (fields: Record<string, unknown>) => void, text?: (json: string) => string) {
      const fields = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      change(fields);
      const raw = Buffer.from(text ? text(JSON.stringify(fields)) : JSON.stringify(fields));
      return () => verifier.verify({ rawBody: raw, headers: headers({ 'x-zendesk-webhook-signature': sign(raw) }, raw), signingSecret: secret, now: new Date(signedAt) });
    }
    function payloadRejection(run: () => unknown): string {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookPayloadRejected);
        return (error as Error).message;
      }
      throw new Error('expected a WebhookPayloadRejected');
    }

    it('text Postgres cannot store: a NUL or a lone surrogate anywhere, names included', () => {
      expect(payloadRejection(signedWith((f) => (f.subject = 'Export\u0000fails')))).toBe('subject contains a NUL character');
      // JSON.stringify writes a lone surrogate as the escape \udc00, as a sender would.
      expect(payloadRejection(signedWith((f) => (f.requester_name = 'Dana \udc00')))).toBe('requester_name contains a lone surrogate (not Unicode text)');
      expect(payloadRejection(signedWith((f) => (f.extra = { deep: ['ok', 'a\u0000'] })))).toBe('extra.deep[1] contains a NUL character');
      expect(payloadRejection(signedWith((f) => (f['na\ud800me'] = 'x')))).toBe('a field name in the body contains a lone surrogate (not Unicode text)');
      // A well-formed pair is text (an emoji), not a lone surrogate.
      expect(signedWith((f) => (f.subject = 'Export \ud83d\ude80 fails'))().ticket.subject).toBe('Export 🚀 fails');
    });

    it('bad values: an impossible date, a year before any Zendesk record, an id beyond 64 bits', () => {
      expect(payloadRejection(signedWith((f) => (f.updated_at = '2026-02-30T08:41Z')))).toBe('updated_at is not an ISO 8601 instant (got "2026-02-30T08:41Z")');
      expect(payloadRejection(signedWith((f) => (f.updated_at = '0000-01-01T00:00Z')))).toBe('updated_at is not an ISO 8601 instant (got "0000-01-01T00:00Z")');
      expect(payloadRejection(signedWith((f) => (f.ticket_id = '9223372036854775808')))).toBe('ticket_id is not a Zendesk id (got "9223372036854775808")');
      expect(signedWith((f) => (f.ticket_id = '9223372036854775807'))().ticket.externalId).toBe('9223372036854775807');
      expect(payloadRejection(signedWith((f) => (f.ticket_id = 'abc')))).toBe('ticket_id is not a Zendesk id (got "abc")');
    });

    it('a body nested deeper than our flat template needs, and an invocation id that is not one', () => {
      const deep = signedWith(
        (f) => (f.extra = 'DEEP'),
        (json) => json.replace('"DEEP"', '['.repeat(5000) + ']'.repeat(5000)),
      );
      expect(payloadRejection(deep)).toMatch(/^extra(\[0\])+ nests deeper than 32 levels$/);
      const long = () =>
        verifier.verify({ rawBody: body, headers: headers({ 'x-zendesk-webhook-invocation-id': '9'.repeat(3000) }), signingSecret: secret, now: new Date(signedAt) });
      expect(payloadRejection(long)).toBe('x-zendesk-webhook-invocation-id header is not an invocation id (printable, up to 128 characters)');
    });

    it('while a bad signature stays a plain refusal (401)', () => {
      const tampered = Buffer.from(body.toString().replace('Dana', 'D\\u0000na'));
      const error = (() => {
        try {
          verifier.verify({ rawBody: tampered, headers: headers(), signingSecret: secret, now: new Date(signedAt) });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(WebhookRejected);
      expect(error).not.toBeInstanceOf(WebhookPayloadRejected);
    });
  });

  it('keys a delivery by what was signed: a replay with another or no invocation id has the same content key', () => {
    const verify = (h: Record<string, string | undefined>) => verifier.verify({ rawBody: body, headers: headers(h), signingSecret: secret, now: new Date(signedAt) });
    const original = verify({});
    expect(verify({ 'x-zendesk-webhook-invocation-id': '999' })).toMatchObject({ deliveryId: '999', contentKey: original.contentKey });
    expect(verify({ 'x-zendesk-webhook-invocation-id': undefined }).contentKey).toBe(original.contentKey);
    // Zendesk's own retry re-signs with a new timestamp: a new content key, same invocation id.
    const later = '2026-03-02T08:42:00Z';
    expect(verify({ 'x-zendesk-webhook-signature-timestamp': later, 'x-zendesk-webhook-signature': sign(body, later) })).toMatchObject({
      deliveryId: original.deliveryId,
      contentKey: expect.not.stringMatching(original.contentKey),
    });
  });
});
