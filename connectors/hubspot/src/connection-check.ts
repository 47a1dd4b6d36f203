import { ConnectionTestResult, MissingField, VendorError } from '@connectors/core/src';
import { HubSpotApi } from './hubspot-api';
import { HubSpotFieldMapping, MAPPED_FIELDS } from './hubspot-settings';

/**
 * One call, GET /crm/v3/properties/companies: it proves the token (and its CRM scopes) and
 * tells which mapped company properties exist. A refused token or missing scope answers
 * `authenticated: false` with HubSpot's own words.
 */
export async function checkConnection(api: HubSpotApi, mapping: HubSpotFieldMapping): Promise<ConnectionTestResult> {
  let names: Set<string>;
  try {
    const answer = await api.call('general', (client) => client.crm.properties.coreApi.getAllWithHttpInfo('companies'));
    names = new Set(answer.results.map((property) => property.name));
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    return { ok: false, authenticated: error.kind !== 'auth', message: error.message, missingFields: [] };
  }
  const missingFields: MissingField[] = MAPPED_FIELDS.filter((field) => mapping[field] && !names.has(mapping[field]!)).map((field) => ({
    object: 'companies',
    field: mapping[field]!,
    setting: `fieldMapping.${field}`,
  }));
  const message = missingFields.length === 0 ? null : `HubSpot companies have no ${missingFields.map((m) => `"${m.field}" (${m.setting})`).join(', ')} property`;
  return { ok: missingFields.length === 0, authenticated: true, message, missingFields };
}
