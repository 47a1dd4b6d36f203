// The sandbox's own records, shaped like Zendesk's JSON so they serialise as Zendesk would.

/**
 * Zendesk's ticket statuses (with custom statuses, still the status category); connectors/zendesk
 * connectors/zendesk/README.md "Tickets". 'deleted' is what a soft-deleted ticket reports in the export.
 */
export type ZendeskTicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
export type SandboxTicketStatus = ZendeskTicketStatus | 'deleted';
export type SandboxTicketType = 'question' | 'incident' | 'problem' | 'task';

export interface SandboxUser {
  id: number;
  name: string;
  email: string | null;
  role: 'end-user' | 'agent' | 'admin';
  organization_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface SandboxOrganization {
  id: number;
  name: string;
  external_id: string | null;
  domain_names: string[];
  created_at: string;
  updated_at: string;
}

export interface SandboxGroup {
  id: number;
  name: string;
  agentIds: number[];
}

interface SandboxComment {
  id: number;
  type: 'Comment';
  author_id: number;
  body: string;
  public: boolean;
  created_at: string;
}

export interface SandboxTicket {
  id: number;
  subject: string;
  status: SandboxTicketStatus;
  type: SandboxTicketType | null;
  priority: 'low' | 'normal' | 'high' | 'urgent' | null;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  organization_id: number | null;
  group_id: number | null;
  tags: string[];
  custom_fields: Array<{ id: number; value: unknown }>;
  due_at: string | null;
  via_followup_source_id: number | null;
  /** A key from another system; nps-bridge puts its own on the tickets it creates. */
  external_id: string | null;
  created_at: string;
  updated_at: string;
  /** Unix seconds of the last change of any kind: what the incremental export orders by. */
  generated_timestamp: number;
  /**
   * When it was last solved, to the second. Zendesk keeps this in the ticket's metric set
   * (metric_set.solved_at), not in the ticket JSON: shown only through the metric_sets sideload.
   */
  solved_at: string | null;
  comments: SandboxComment[];
}

/** Zendesk's custom ticket field types (Ticket Fields API, "Create Ticket Field"). */
export const CUSTOM_FIELD_TYPES = ['text', 'textarea', 'checkbox', 'date', 'integer', 'decimal', 'regexp', 'partialcreditcard', 'multiselect', 'tagger', 'lookup'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
/** System fields are listed with their own types and cannot be set through custom_fields. */
export type SystemFieldType = 'subject' | 'description' | 'status' | 'tickettype' | 'priority' | 'group' | 'assignee';

export interface SandboxTicketField {
  id: number;
  type: CustomFieldType | SystemFieldType;
  title: string;
  description: string;
  agent_description: string | null;
  active: boolean;
  required: boolean;
  visible_in_portal: boolean;
  editable_in_portal: boolean;
  /** false for system fields. */
  removable: boolean;
  position: number;
  /** Drop-down (tagger, multiselect) options: `value` is the tag a ticket stores. */
  custom_field_options?: Array<{ id: number; name: string; value: string }>;
  created_at: string;
  updated_at: string;
}

export interface SandboxWebhook {
  id: string;
  name: string;
  endpoint: string;
  http_method: string;
  request_format: string;
  status: 'active' | 'inactive';
  subscriptions: string[];
  created_at: string;
  signingSecret: string;
}

export interface SandboxTrigger {
  id: number;
  title: string;
  description: string | null;
  active: boolean;
  position: number;
  conditions: { all: Array<{ field: string; operator: string; value: unknown }>; any: Array<{ field: string; operator: string; value: unknown }> };
  actions: Array<{ field: string; value: unknown }>;
  created_at: string;
  updated_at: string;
}

/** Zendesk writes instants without milliseconds ("2011-05-05T10:38:52Z"). */
export function zendeskTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A ticket as the API shows it (comments have their own endpoint). */
export function ticketJson(ticket: SandboxTicket, baseUrl: string) {
  const { comments, solved_at: _solvedAt, ...fields } = ticket;
  return {
    url: `${baseUrl}/api/v2/tickets/${ticket.id}.json`,
    ...fields,
    description: comments[0]?.body ?? '',
    raw_subject: ticket.subject,
  };
}

/** The ticket's metric set as the metric_sets sideload attaches it (the part we keep). */
export function metricSetJson(ticket: SandboxTicket, baseUrl: string) {
  return {
    url: `${baseUrl}/api/v2/ticket_metrics/${ticket.id}.json`,
    id: ticket.id,
    ticket_id: ticket.id,
    created_at: ticket.created_at,
    updated_at: ticket.updated_at,
    solved_at: ticket.solved_at,
  };
}

export function ticketFieldJson(field: SandboxTicketField, baseUrl: string) {
  return { url: `${baseUrl}/api/v2/ticket_fields/${field.id}.json`, ...field, raw_title: field.title, raw_description: field.description };
}

export function webhookJson(webhook: SandboxWebhook) {
  const { signingSecret, ...fields } = webhook;
  return fields;
}
