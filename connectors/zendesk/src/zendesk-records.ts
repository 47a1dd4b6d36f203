/**
 * The parts of Zendesk's JSON we read, as Zendesk names them. Vendor shapes never leave the
 * connector: mappers turn them into the port's records.
 */
interface ZendeskCustomFieldValue {
  id: number;
  value: unknown;
}

export interface ZendeskTicket {
  id: number;
  /** A key from another system (ours on tickets nps-bridge created). */
  external_id?: string | null;
  status: string;
  subject: string | null;
  type?: string | null;
  requester_id: number | null;
  submitter_id?: number | null;
  assignee_id: number | null;
  organization_id: number | null;
  group_id: number | null;
  tags?: string[];
  custom_fields?: ZendeskCustomFieldValue[];
  due_at?: string | null;
  created_at: string;
  updated_at: string;
  /** Only when the metric_sets sideload or a ticket metric is attached: when it was solved. */
  metric_set?: { solved_at?: string | null } | null;
}

export interface ZendeskComment {
  id: number;
  body: string;
  public: boolean;
  author_id: number;
  created_at: string;
}

/** A ticket field (system or custom) as the Ticket Fields API lists it. */
export interface ZendeskTicketField {
  id: number;
  type: string;
  title: string;
  active: boolean;
  /** false for system fields (subject, status, …). */
  removable?: boolean;
}

export interface ZendeskUser {
  id: number | null;
  name: string;
  email: string | null;
  role: string;
  organization_id?: number | null;
}

export interface ZendeskOrganization {
  id: number;
  name: string;
  /** The CRM account id (README "Organizations": case-insensitive external id). */
  external_id: string | null;
}

/** One page of GET /api/v2/incremental/tickets/cursor.json. */
export interface TicketExportPage {
  tickets: ZendeskTicket[];
  users?: ZendeskUser[];
  organizations?: ZendeskOrganization[];
  after_cursor: string | null;
  after_url: string | null;
  end_of_stream: boolean;
}

export interface ZendeskWebhook {
  id: string;
  name: string;
  endpoint: string;
  http_method: string;
  request_format: string;
  status: string;
  subscriptions?: string[];
}

interface ZendeskTriggerCondition {
  field: string;
  operator: string;
  value: unknown;
}

export interface ZendeskTrigger {
  id: number;
  title: string;
  active: boolean;
  conditions: { all?: ZendeskTriggerCondition[]; any?: ZendeskTriggerCondition[] };
  actions: Array<{ field: string; value: unknown }>;
}

/** Cursor-paginated list endpoints (webhooks, triggers): `meta.has_more` + `meta.after_cursor`. */
export interface CursorListPage {
  meta?: { has_more?: boolean; after_cursor?: string | null };
  links?: { next?: string | null };
}
