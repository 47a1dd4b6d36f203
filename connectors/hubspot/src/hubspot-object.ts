/**
 * The shape of a HubSpot CRM object as the v3 list and search endpoints return it, typed loosely
 * enough for both the SDK's deserialized models (Dates) and recorded JSON (strings).
 */
export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null | undefined>;
  createdAt?: Date | string;
  updatedAt?: Date | string;
  archived?: boolean;
  archivedAt?: Date | string;
  /** `associations=companies` on a list call: the associated ids by v3 type name. */
  associations?: Record<string, { results: Array<{ id: string; type: string }> } | undefined>;
}
