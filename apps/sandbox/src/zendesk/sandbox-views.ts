import { SandboxTicket } from './sandbox-records';
import { ZendeskSandbox } from './zendesk-sandbox';
import { HelpdeskSandboxDemo, SandboxFieldView, SandboxRecordList } from '../kit/sandbox-demo';

const UNSOLVED = new Set(['new', 'open', 'pending', 'hold']);

/**
 * The account as a support lead sees it in Zendesk: tickets most recently changed first, with
 * status, tags, custom fields (the NPS score among them) and every comment, private notes
 * included. Deleted tickets are left out, as Zendesk's views do.
 */
function zendeskRecords(sandbox: ZendeskSandbox): SandboxRecordList[] {
  const { data } = sandbox;
  const person = (id: number | null) => {
    const user = id === null ? undefined : data.users.get(id);
    return user ? (user.email ? `${user.name} <${user.email}>` : user.name) : id === null ? null : `user ${id}`;
  };
  const organization = (id: number | null) => {
    const org = id === null ? undefined : data.organizations.get(id);
    return org ? (org.external_id ? `${org.name} (external id ${org.external_id})` : org.name) : null;
  };
  const group = (id: number | null) => (id === null ? null : (data.groups.get(id)?.name ?? `group ${id}`));
  const customFields = (ticket: SandboxTicket): SandboxFieldView[] =>
    ticket.custom_fields.map(({ id, value }) => ({
      label: data.ticketFields.get(id)?.title ?? `field ${id}`,
      value: value === null || value === undefined || value === '' ? null : String(value),
    }));
  const tickets = [...data.tickets.values()].filter((t) => t.status !== 'deleted').sort((a, b) => b.generated_timestamp - a.generated_timestamp || b.id - a.id);
  return [
    {
      name: 'tickets',
      title: 'Tickets',
      description: 'Every ticket, most recently changed first.',
      records: tickets.map((ticket) => {
        const status: SandboxFieldView = { label: 'Status', value: ticket.status };
        const tags: SandboxFieldView = { label: 'Tags', value: ticket.tags.join(', ') || null };
        const requester: SandboxFieldView = { label: 'Requester', value: person(ticket.requester_id) };
        const updated: SandboxFieldView = { label: 'Updated', value: ticket.updated_at };
        return {
          id: String(ticket.id),
          title: `#${ticket.id} ${ticket.subject}`,
          summary: [status, requester, tags, updated],
          fields: [
            status,
            { label: 'Type', value: ticket.type },
            { label: 'Priority', value: ticket.priority },
            requester,
            { label: 'Organization', value: organization(ticket.organization_id) },
            { label: 'Group', value: group(ticket.group_id) },
            { label: 'Assignee', value: person(ticket.assignee_id) },
            tags,
            ...customFields(ticket),
            { label: 'Due', value: ticket.due_at },
            { label: 'External id', value: ticket.external_id },
            { label: 'Follow-up of', value: ticket.via_followup_source_id === null ? null : `#${ticket.via_followup_source_id}` },
            { label: 'Created', value: ticket.created_at },
            updated,
          ],
          notes: ticket.comments.map((c) => ({ at: c.created_at, author: person(c.author_id), public: c.public, body: c.body })),
        };
      }),
    },
  ];
}

/** "Solve a ticket" for the demo: unsolved tickets, a new one when needed, and a solve whose webhook calls have gone out. */
function zendeskDemo(sandbox: ZendeskSandbox): HelpdeskSandboxDemo {
  return {
    unsolvedTickets: () =>
      [...sandbox.data.tickets.values()]
        .filter((t) => UNSOLVED.has(t.status))
        .sort((a, b) => a.id - b.id)
        .map((t) => ({ id: String(t.id), subject: t.subject, requesterEmail: sandbox.data.users.get(t.requester_id)?.email ?? null })),
    createTicket: (input) => String(sandbox.createTicket({ ...input, status: 'open' }).id),
    solveTicket: async (id) => {
      sandbox.solveTicket(Number(id));
      await sandbox.webhooksDelivered();
    },
  };
}

/** The sandbox with its demo pages and survey-now control attached (the kit's create). */
export function withDemoViews(sandbox: ZendeskSandbox): ZendeskSandbox & { records(): SandboxRecordList[]; demo: HelpdeskSandboxDemo } {
  return Object.assign(sandbox, { records: () => zendeskRecords(sandbox), demo: zendeskDemo(sandbox) });
}
