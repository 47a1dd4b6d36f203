import { ArrHistoryScope, CrmArrPoint, CrmPage, CrmStream } from './crm-records';
import { CrmObject, CrmWriter } from './crm-writes';

export interface MissingField {
  /** The vendor's object (Account, companies, …). */
  object: string;
  field: string;
  /** Which of our settings maps to it (e.g. "fieldMapping.arr"). */
  setting: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** false when the credentials were refused (status becomes auth_failed). */
  authenticated: boolean;
  /** The vendor's own words when something failed. */
  message: string | null;
  missingFields: MissingField[];
}

/** Our reading of a CRM field's type, for choosing what a setting may map to. */
export type CrmFieldType = 'text' | 'number' | 'currency' | 'date' | 'datetime' | 'boolean' | 'picklist' | 'reference' | 'other';

/** One field of the CRM's account or contact object, as the field-mapping step offers it. */
export interface CrmFieldInfo {
  /** The API name a setting maps (what fieldMapping takes). */
  name: string;
  /** The name people see in the CRM. */
  label: string;
  type: CrmFieldType;
  /** Made by the customer (or a package), not one the CRM ships with. */
  custom: boolean;
  /** The values a picklist allows, when the CRM lists them. */
  options?: string[];
}

/** API budget as the vendor reports it (its usage or daily limit headers). */
export interface ApiUsage {
  used: number;
  limit: number;
}

export interface ReadOptions {
  /** Inclusive cursor from the last committed page; null reads everything (full sync). */
  since: string | null;
  /** Abort between pages (worker shutdown). */
  signal?: AbortSignal;
}

/**
 * The port every CRM implements (each one under connectors/, and the next one). Reads are async
 * iterables of pages: never a whole table in memory.
 */
export interface CrmConnector extends CrmWriter {
  /** Checks the credentials and that every mapped field exists. */
  testConnection(): Promise<ConnectionTestResult>;
  read<S extends CrmStream>(stream: S, options: ReadOptions): AsyncIterable<CrmPage<S>>;
  /**
   * The past values of the accounts' mapped ARR field, as the CRM's own field history keeps
   * them (rules §7 activity axis), in pages. Yields nothing when the CRM keeps no
   * history of that field (not tracked, or not readable by the integration user). Left out by
   * a CRM that never keeps field history; our own snapshots are the fallback then.
   */
  readArrHistory?(accounts: ArrHistoryScope, signal?: AbortSignal): AsyncIterable<CrmArrPoint[]>;
  /**
   * The fields of the CRM's account or contact object the integration user can read (describe,
   * properties), so an admin maps settings to real fields. Left out by a CRM that cannot list them.
   */
  readFields?(object: CrmObject, signal?: AbortSignal): Promise<CrmFieldInfo[]>;
  /** Requests sent to the vendor by this instance so far (auth included). */
  apiCalls(): number;
  /** The latest usage the vendor reported, if it reports one. */
  apiUsage(): ApiUsage | undefined;
}
