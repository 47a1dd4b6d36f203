import { CrmOwnerRecord } from '@connectors/core/src';
import { invalidValue, text } from './hubspot-values';

/** GET /crm/v3/owners result (SDK PublicOwner, or recorded JSON). */
export interface HubSpotOwner {
  id: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  type?: string;
  archived?: boolean;
}

const OWNER_TYPES = new Set(['PERSON', 'QUEUE']);

/** An owner is active until HubSpot archives it (a deactivated user's owner is archived). */
export function mapOwner(owner: HubSpotOwner): CrmOwnerRecord {
  if (owner.type !== undefined && !OWNER_TYPES.has(owner.type)) throw invalidValue('owner', owner.id, 'type', owner.type, 'PERSON or QUEUE');
  const name = [text(owner.firstName), text(owner.lastName)].filter((part) => part !== null).join(' ');
  return {
    externalId: String(owner.id),
    name: name === '' ? null : name,
    email: text(owner.email),
    active: owner.archived !== true,
  };
}
