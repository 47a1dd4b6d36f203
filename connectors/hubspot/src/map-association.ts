import { CrmContactRoleRecord } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { invalidValue } from './hubspot-values';

/** One associated record in a v4 batch read result (`to[]`). */
export interface HubSpotAssociatedRecord {
  toObjectId: string | number;
  associationTypes: Array<{ category: string; typeId: number; label?: string | null }>;
}

const CATEGORIES = new Set(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']);

/**
 * The role labels on one association, as HubSpot names them. HubSpot's own types (the unlabeled
 * default and "Primary") are not roles; custom labels (Decision Maker, End User, …) are. An
 * association with only HubSpot's types gives [] (the program reads that as "other").
 */
export function roleLabels(fromId: string, record: HubSpotAssociatedRecord): string[] {
  const labels: string[] = [];
  for (const type of record.associationTypes ?? []) {
    if (!CATEGORIES.has(type.category)) {
      throw invalidValue('association', `${fromId}→${record.toObjectId}`, 'category', type.category, 'a known association category');
    }
    const label = type.label?.trim();
    if (type.category !== 'HUBSPOT_DEFINED' && label && !labels.includes(label)) labels.push(label);
  }
  return labels;
}

/** The contact's primary company among its v4 associations: type 1 when present, else the first. */
export function primaryCompanyId(associated: HubSpotAssociatedRecord[]): string | null {
  const primaryType = hubspotDescriptor.associationTypeIds.primaryContactToCompany;
  const primary = associated.find((r) => (r.associationTypes ?? []).some((t) => t.category === 'HUBSPOT_DEFINED' && t.typeId === primaryType));
  const chosen = primary ?? associated[0];
  return chosen ? String(chosen.toObjectId) : null;
}

/** Roles of one company's contacts (company→contact read). */
export function rolesOfCompany(companyId: string, associated: HubSpotAssociatedRecord[], modifiedAt: string): CrmContactRoleRecord[] {
  return associated.map((record) => role(companyId, String(record.toObjectId), roleLabels(companyId, record), modifiedAt));
}

/** Roles of one contact at each of its companies (contact→company read). */
export function rolesOfContact(contactId: string, associated: HubSpotAssociatedRecord[], modifiedAt: string): CrmContactRoleRecord[] {
  return associated.map((record) => role(String(record.toObjectId), contactId, roleLabels(contactId, record), modifiedAt));
}

function role(accountExternalId: string, contactExternalId: string, roles: string[], modifiedAt: string): CrmContactRoleRecord {
  return { externalId: `${accountExternalId}:${contactExternalId}`, accountExternalId, contactExternalId, roles, modifiedAt };
}
