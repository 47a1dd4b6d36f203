import { ConnectionTestResult, VendorError } from '@connectors/core/src';
import { ZendeskApi } from './zendesk-api';
import { ZendeskUser } from './zendesk-records';
import { ZendeskSettings } from './zendesk-settings';

interface TicketField {
  id: number;
  type: string;
  title?: string;
}

const NUMBER_FIELD_TYPES = new Set(['integer', 'decimal']);

/**
 * GET /api/v2/users/me proves the credentials and tells whose rights they carry: the export,
 * webhooks and triggers need an admin. Then the NPS score field, when one is mapped, must exist
 * and hold numbers. A refused token answers authenticated: false with Zendesk's own words.
 */
export async function checkConnection(api: ZendeskApi, settings: ZendeskSettings): Promise<ConnectionTestResult> {
  let me: ZendeskUser;
  try {
    me = await api.call<ZendeskUser>('general', (client) => client.users.auth());
  } catch (error) {
    if (error instanceof VendorError && error.kind === 'auth') {
      return { ok: false, authenticated: false, message: error.message, missingFields: [] };
    }
    throw error;
  }
  // Zendesk answers users/me without credentials as an anonymous user (id null) rather than 401.
  if (me.id === null || me.id === undefined) {
    return { ok: false, authenticated: false, message: 'Zendesk answered as an anonymous user: the credentials were not accepted', missingFields: [] };
  }
  if (me.role !== 'admin') {
    const message = `${me.email ?? me.name} is a Zendesk ${me.role}; incremental exports, webhooks and triggers need an admin`;
    return { ok: false, authenticated: true, message, missingFields: [] };
  }
  if (settings.npsScoreFieldId === null) return { ok: true, authenticated: true, message: null, missingFields: [] };

  const fieldId = settings.npsScoreFieldId;
  let field: TicketField;
  try {
    field = await api.call<TicketField>('general', (client) => client.ticketfields.show(fieldId));
  } catch (error) {
    if (!(error instanceof VendorError) || error.kind !== 'not_found') throw error;
    return {
      ok: false,
      authenticated: true,
      message: `Zendesk has no custom ticket field ${fieldId} (npsScoreFieldId)`,
      missingFields: [{ object: 'ticket_fields', field: String(fieldId), setting: 'npsScoreFieldId' }],
    };
  }
  if (!NUMBER_FIELD_TYPES.has(field.type)) {
    const message = `Zendesk ticket field ${fieldId} (npsScoreFieldId) is a ${field.type} field; the NPS score needs a number field`;
    return { ok: false, authenticated: true, message, missingFields: [] };
  }
  return { ok: true, authenticated: true, message: null, missingFields: [] };
}
