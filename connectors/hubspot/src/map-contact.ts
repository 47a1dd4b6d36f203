import { CrmContactRecord } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotObject } from './hubspot-object';
import { instant, invalidValue, text } from './hubspot-values';

export const CONTACT_PROPERTIES = ['email', 'firstname', 'lastname', hubspotDescriptor.contactModifiedProperty];

/**
 * The primary company from a v3 list call with `associations=companies`: the association of the
 * primary type when present (type name "contact_to_company", id 1), else the first one.
 */
export function primaryCompanyFromList(contact: HubSpotObject): string | null {
  const results = contact.associations?.companies?.results ?? [];
  const primary = results.find((a) => a.type === hubspotDescriptor.primaryContactToCompanyType || a.type === String(hubspotDescriptor.associationTypeIds.primaryContactToCompany));
  const chosen = primary ?? results[0];
  return chosen ? String(chosen.id) : null;
}

/**
 * A HubSpot contact → our contact. `primaryCompanyId` comes from the v4 association read on
 * incremental reads; on full reads it is taken from the list call's embedded associations.
 */
export function mapContact(contact: HubSpotObject, primaryCompanyId?: string | null): CrmContactRecord {
  const id = String(contact.id);
  const props = contact.properties ?? {};
  const modifiedAt = instant(props[hubspotDescriptor.contactModifiedProperty]) ?? instant(contact.updatedAt);
  if (!modifiedAt) throw invalidValue('contact', id, hubspotDescriptor.contactModifiedProperty, props[hubspotDescriptor.contactModifiedProperty], 'an instant');
  return {
    externalId: id,
    accountExternalId: primaryCompanyId === undefined ? primaryCompanyFromList(contact) : primaryCompanyId,
    email: text(props.email),
    firstName: text(props.firstname),
    lastName: text(props.lastname),
    modifiedAt,
  };
}
