/**
 * What a CRM connector reads, in the product's words. Vendor shapes never leave the connector:
 * each connector maps its JSON into these with one small pure function per object.
 */

/** A CRM user who can own accounts and receive tasks. */
export interface CrmOwnerRecord {
  externalId: string;
  name: string | null;
  email: string | null;
  active: boolean;
}

export interface CrmAccountRecord {
  externalId: string;
  name: string;
  /** Decimal string with at most 2 decimals ("125000.00"), never a float; null when unset. */
  arr: string | null;
  /** ISO 4217 code when the CRM says; null means the org's default currency. */
  arrCurrency: string | null;
  /** YYYY-MM-DD */
  renewalDate: string | null;
  tier: string | null;
  /** YYYY-MM-DD */
  customerSince: string | null;
  ownerExternalId: string | null;
  /** Decimal string from the mapped usage field; null when not mapped or unset. */
  usageScore: string | null;
  /** The vendor's last-modified instant (ISO 8601), used as the incremental cursor. */
  modifiedAt: string;
}

export interface CrmContactRecord {
  externalId: string;
  /** The contact's primary account. */
  accountExternalId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  modifiedAt: string;
}

/**
 * The roles one contact holds at one account, as the CRM names them (a role picklist on the
 * account–contact relation, or association labels). Normalising them to
 * decision_maker/admin/end_user/other is a program rule (libs/nps), not the connector's job.
 */
export interface CrmContactRoleRecord {
  /** Stable id of the relation (the CRM's own id of it, or "<accountId>:<contactId>" where it has none). */
  externalId: string;
  accountExternalId: string;
  contactExternalId: string;
  roles: string[];
  modifiedAt: string;
}

/**
 * One value the account's ARR field held, from the CRM's own record of the field's past
 * values: from `at` on, ARR was `arr` (null: emptied).
 */
export interface CrmArrPoint {
  accountExternalId: string;
  /** ISO 8601 instant the value was set. */
  at: string;
  /** Decimal string with at most 2 decimals, as CrmAccountRecord.arr; null when the field was emptied. */
  arr: string | null;
}

/** Whose ARR history to read: every account (after a full read), or the named ones. */
export type ArrHistoryScope = 'all' | string[];

export interface CrmRecordByStream {
  owners: CrmOwnerRecord;
  accounts: CrmAccountRecord;
  contacts: CrmContactRecord;
  contact_roles: CrmContactRoleRecord;
}

/** Streams are read in this order, so references (owner, account) usually resolve at once. */
export const CRM_STREAMS = ['owners', 'accounts', 'contacts', 'contact_roles'] as const;
export type CrmStream = (typeof CRM_STREAMS)[number];

/** One page of a stream: apply upserts and deletions, then commit `cursor` in the same transaction. */
export interface CrmPage<S extends CrmStream = CrmStream> {
  stream: S;
  upserts: CrmRecordByStream[S][];
  /** External ids the vendor reports deleted (or archived) since the cursor. */
  deletions: string[];
  /**
   * Where to resume after this page. Cursors are inclusive ("modified at or after"), so a
   * resumed read may see a record again; upserts make that harmless.
   */
  cursor: string | null;
  /** Records in the whole read, when the vendor says (for progress). */
  total?: number;
  /**
   * Roles read alongside this page, for vendors that read roles per account or per contact
   * (association labels): they replace every stored role of the accounts and contacts
   * named in `rolesReplaceFor` (so a removed label disappears). A CRM that reads roles in
   * their own `contact_roles` stream leaves these unset.
   */
  roles?: CrmContactRoleRecord[];
  rolesReplaceFor?: { accountExternalIds?: string[]; contactExternalIds?: string[] };
}
