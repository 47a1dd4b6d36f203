import { ScoreFieldSetup } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { listAll } from './cursor-list';
import { rawSend, ZendeskApi } from './zendesk-api';
import { ZendeskTicketField } from './zendesk-records';

const FIELD = zendeskDescriptor.scoreField;

/** POST /api/v2/ticket_fields: an active integer field agents see and end users do not. */
function scoreFieldBody() {
  return {
    ticket_field: {
      type: FIELD.type,
      title: FIELD.title,
      description: FIELD.description,
      agent_description: FIELD.agentDescription,
      active: true,
      required: false,
      visible_in_portal: false,
      editable_in_portal: false,
    },
  };
}

/** Our score field among the account's ticket fields: active, integer, titled "NPS score" (any case); the oldest if several. */
async function findScoreField(api: ZendeskApi, attempts: 'retry' | 'once'): Promise<number | undefined> {
  const fields = await listAll<ZendeskTicketField>(api, { service: 'ticketfields', path: ['ticket_fields'], key: 'ticket_fields', attempts });
  const title = FIELD.title.toLowerCase();
  const ours = fields.filter((f) => f.active && f.type === FIELD.type && typeof f.title === 'string' && f.title.trim().toLowerCase() === title);
  return ours.map((f) => f.id).sort((a, b) => a - b)[0];
}

/**
 * The setup step for transactional scores: the integer field titled "NPS score" when the account
 * has one (an admin may have made it, or an earlier run), else a new one. Zendesk takes no
 * idempotency key for fields, so after a create that may have landed the list is read again
 * before sending another.
 */
export async function ensureScoreField(api: ZendeskApi): Promise<ScoreFieldSetup> {
  const existing = await findScoreField(api, 'retry');
  // The port's ids are opaque strings; ZendeskSettings keeps the number (zendeskConnector.withScoreField).
  if (existing !== undefined) return { id: String(existing), created: false };
  const id = await api.writeGuarded<number>({
    what: `create of the Zendesk ticket field "${FIELD.title}"`,
    send: async () => (await api.once<{ ticket_field: ZendeskTicketField }>('general', rawSend('ticketfields', 'POST', ['ticket_fields'], scoreFieldBody()))).ticket_field.id,
    landed: () => findScoreField(api, 'once'),
  });
  return { id: String(id), created: true };
}
