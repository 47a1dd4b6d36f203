import { SandboxGroup, SandboxOrganization, SandboxTicket, SandboxTicketField, SandboxUser, SystemFieldType, ZendeskTicketStatus, zendeskTime } from './sandbox-records';
import { addTicketField } from './sandbox-fields';
import { seededRandom } from '../kit/sandbox';

/** A requester the CRM also knows, so surveys attribute to a real CRM contact and account. */
export interface KnownRequester {
  email: string;
  name: string;
  /** The CRM account id; the sandbox gives this organization `external_id` = it. */
  organizationExternalId?: string;
}

export interface SeedOptions {
  seed: number;
  /** CRM account ids: one organization each, external_id = the id. */
  accountExternalIds: string[];
  /** Organizations without a CRM link, on top of those. */
  unlinkedOrganizations: number;
  knownRequesters: KnownRequester[];
  /** Generated end users, on top of the known requesters. */
  users: number;
  tickets: number;
  adminEmail: string;
  npsScoreFieldId: number;
  now: number;
}

export interface SandboxData {
  users: Map<number, SandboxUser>;
  organizations: Map<number, SandboxOrganization>;
  groups: Map<number, SandboxGroup>;
  tickets: Map<number, SandboxTicket>;
  ticketFields: Map<number, SandboxTicketField>;
  nextId: { user: number; organization: number; ticket: number; comment: number; trigger: number; ticketField: number };
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia', 'Tim'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman', 'Lee'];
const SUBJECTS = [
  'Cannot log in',
  'Export is slow',
  'Invoice question',
  'SSO setup help',
  'API returns 500',
  'Feature request: dark mode',
  'Billing address change',
  'Sync stopped overnight',
];
/** A plausible mix: most tickets end solved or closed, a few are in flight. */
const STATUS_MIX: ZendeskTicketStatus[] = ['new', 'open', 'open', 'pending', 'hold', 'solved', 'solved', 'solved', 'closed', 'closed'];
const DAY = 86_400_000;
const SYSTEM_FIELDS: Array<[SystemFieldType, string]> = [
  ['subject', 'Subject'],
  ['description', 'Description'],
  ['status', 'Status'],
  ['tickettype', 'Type'],
  ['priority', 'Priority'],
  ['group', 'Group'],
  ['assignee', 'Assignee'],
];

function emptyData(): SandboxData {
  return {
    users: new Map(),
    organizations: new Map(),
    groups: new Map(),
    tickets: new Map(),
    ticketFields: new Map(),
    nextId: { user: 1000, organization: 500, ticket: 1, comment: 5000, trigger: 9000, ticketField: 360000100000 },
  };
}

export function addOrganization(data: SandboxData, name: string, externalId: string | null, at: number): SandboxOrganization {
  const org: SandboxOrganization = {
    id: data.nextId.organization++,
    name,
    external_id: externalId,
    domain_names: [],
    created_at: zendeskTime(at),
    updated_at: zendeskTime(at),
  };
  data.organizations.set(org.id, org);
  return org;
}

export function organizationByExternalId(data: SandboxData, externalId: string): SandboxOrganization | undefined {
  // connectors/zendesk/README.md "Organizations": organization external_id is case-insensitive.
  return [...data.organizations.values()].find((o) => o.external_id?.toLowerCase() === externalId.toLowerCase());
}

export function addUser(data: SandboxData, user: Omit<SandboxUser, 'id' | 'created_at' | 'updated_at'>, at: number): SandboxUser {
  const created: SandboxUser = { id: data.nextId.user++, ...user, created_at: zendeskTime(at), updated_at: zendeskTime(at) };
  data.users.set(created.id, created);
  return created;
}

/** A generated Zendesk account: an admin, agents in two groups, organizations, end users and tickets. */
export function seedData(options: SeedOptions): SandboxData {
  const data = emptyData();
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const since = options.now - 30 * DAY;

  // Zendesk lists its system fields with the custom ones; they cannot be set through custom_fields.
  for (const [type, title] of SYSTEM_FIELDS) addTicketField(data, { id: data.nextId.ticketField++, type, title, removable: false }, since);
  addTicketField(data, { id: options.npsScoreFieldId, type: 'integer', title: 'NPS score' }, since);
  addUser(data, { name: 'Sandbox Admin', email: options.adminEmail, role: 'admin', organization_id: null }, since);
  const agents = FIRST.slice(0, 4).map((first, i) =>
    addUser(data, { name: `${first} Agent`, email: `${first.toLowerCase()}.agent@support.test`, role: 'agent', organization_id: null }, since + i),
  );
  data.groups.set(200, { id: 200, name: 'Support', agentIds: [agents[0].id, agents[1].id] });
  data.groups.set(201, { id: 201, name: 'Escalations', agentIds: [agents[2].id, agents[3].id] });

  for (const externalId of options.accountExternalIds) addOrganization(data, `Account ${externalId}`, externalId, since);
  for (let i = 0; i < options.unlinkedOrganizations; i++) addOrganization(data, `Prospect ${i + 1}`, null, since);
  for (const known of options.knownRequesters) {
    const orgId = known.organizationExternalId
      ? (organizationByExternalId(data, known.organizationExternalId) ?? addOrganization(data, `Account ${known.organizationExternalId}`, known.organizationExternalId, since)).id
      : null;
    addUser(data, { name: known.name, email: known.email, role: 'end-user', organization_id: orgId }, since);
  }
  const organizations = [...data.organizations.values()];
  for (let i = 0; i < options.users; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const org = organizations.length > 0 && random() < 0.85 ? pick(organizations) : null;
    const domain = org ? `${org.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.test` : 'example.test';
    addUser(data, { name: `${first} ${last}`, email: `${first}.${last}.${i + 1}@${domain}`.toLowerCase(), role: 'end-user', organization_id: org?.id ?? null }, since);
  }

  const requesters = [...data.users.values()].filter((u) => u.role === 'end-user');
  const groups = [...data.groups.values()];
  for (let i = 0; i < options.tickets && requesters.length > 0; i++) {
    const requester = pick(requesters);
    const group = pick(groups);
    const status = pick(STATUS_MIX);
    const created = since + Math.floor(random() * 28 * DAY);
    // Every seeded change is older than the export's one-minute blind spot.
    const updated = Math.min(options.now - 5 * 60_000, created + Math.floor(random() * 2 * DAY));
    const assignee = status === 'new' ? null : pick(group.agentIds);
    const id = data.nextId.ticket++;
    data.tickets.set(id, {
      id,
      subject: pick(SUBJECTS),
      status,
      type: 'question',
      priority: 'normal',
      requester_id: requester.id,
      submitter_id: requester.id,
      assignee_id: assignee,
      organization_id: requester.organization_id,
      group_id: status === 'new' ? null : group.id,
      tags: [],
      custom_fields: [{ id: options.npsScoreFieldId, value: null }],
      due_at: null,
      via_followup_source_id: null,
      external_id: null,
      created_at: zendeskTime(created),
      updated_at: zendeskTime(updated),
      generated_timestamp: Math.floor(updated / 1000),
      solved_at: status === 'solved' || status === 'closed' ? zendeskTime(updated) : null,
      comments: [{ id: data.nextId.comment++, type: 'Comment', author_id: requester.id, body: 'Please help.', public: true, created_at: zendeskTime(created) }],
    });
  }
  return data;
}
