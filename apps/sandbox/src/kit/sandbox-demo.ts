import type { VendorSandbox } from './sandbox';

/**
 * What the all-in-one demo needs from a sandbox beyond the vendor's API: pages a person can
 * browse (what a CSM or a support lead would see in the vendor's own screens), a state that
 * survives a restart, and, for a helpdesk, a ticket to solve on request.
 */

/** One labelled value on a record page; null shows as "not set". */
export interface SandboxFieldView {
  label: string;
  value: string | null;
}

/** A comment or note on a record, as the vendor shows it (private notes included). */
export interface SandboxNoteView {
  at: string;
  author: string | null;
  public: boolean;
  body: string;
}

export interface SandboxRecordView {
  id: string;
  title: string;
  /** A few facts shown in the list. */
  summary: SandboxFieldView[];
  /** Everything shown on the record's own page. */
  fields: SandboxFieldView[];
  notes?: SandboxNoteView[];
}

/** One browsable list of a sandbox: accounts, contacts, tasks, tickets. */
export interface SandboxRecordList {
  /** The URL segment: lower case letters and dashes. */
  name: string;
  title: string;
  /** One sentence: what the list holds and in which order. */
  description: string;
  records: SandboxRecordView[];
}

/** A ticket the demo may solve. */
export interface SandboxDemoTicket {
  id: string;
  subject: string;
  requesterEmail: string | null;
}

/** The helpdesk sandbox's side of "solve a ticket and send its survey now". */
export interface HelpdeskSandboxDemo {
  /** Tickets not solved yet (new, open, pending, on hold), oldest first. */
  unsolvedTickets(): SandboxDemoTicket[];
  /** A new ticket from this requester; returns its id. */
  createTicket(input: { requesterEmail: string; organizationExternalId?: string; subject: string }): string;
  /** Solves the ticket as an agent would and resolves once its webhook calls were delivered. */
  solveTicket(id: string): Promise<void>;
}

/** A sandbox as a kit builds it for the all-in-one. */
export interface BuiltSandbox extends VendorSandbox {
  /** CRM: demo contacts with their primary account, for the helpdesk sandbox's requesters. */
  people?(limit: number): Array<{ email: string; name: string; accountExternalId: string }>;
  /** The browsable lists of /sandbox/records/<kind>. */
  records?(): SandboxRecordList[];
  /** Helpdesk: what the demo's survey-now control uses. */
  demo?: HelpdeskSandboxDemo;
  /** true when built from its state file, false when generated anew (or kept in memory only). */
  restored?: boolean;
  /** Writes the state file now if anything changed (at shutdown). */
  flush?(): Promise<void>;
}
