import { HubSpotSandbox } from './hubspot-sandbox';
import { SandboxCompany, SandboxContact } from './sandbox-data';
import { NPS_PROPERTY_GROUP, SEEDED_NPS_PROPERTY_NAMES } from './sandbox-nps';
import { SandboxObjectType } from './sandbox-objects';
import { recordValues } from './sandbox-records';
import { SandboxFieldView, SandboxRecordList, SandboxRecordView } from '../kit/sandbox-demo';

/**
 * The portal as a CSM sees it in HubSpot: companies and contacts with every property (the
 * nps_bridge group among them, records holding a value there first) and the follow-up tasks,
 * newest first.
 */
export function hubspotRecords(sandbox: HubSpotSandbox): SandboxRecordList[] {
  const { portal, schema } = sandbox;
  const ownerName = (id: string | null) => {
    const owner = id ? portal.owners.find((o) => o.id === id) : undefined;
    return owner ? `${owner.firstName} ${owner.lastName}` : id;
  };
  const group = NPS_PROPERTY_GROUP.name;
  const holdsNps = (type: SandboxObjectType, id: string) => {
    const ours = schema.properties(type).filter((p) => p.groupName === group);
    const values = portal.custom[type].get(id) ?? {};
    return ours.some((p) => values[p.name] !== undefined);
  };
  const view = (type: SandboxObjectType, record: SandboxCompany | SandboxContact, title: string, summary: string[]): SandboxRecordView => {
    const values = recordValues(portal, schema, type, record);
    const shown = (name: string) => (name === 'hubspot_owner_id' ? ownerName(values[name]) : values[name]);
    const labelled = (name: string): SandboxFieldView => ({ label: schema.property(type, name)?.label ?? name, value: shown(name) ?? null });
    return {
      id: record.id,
      title,
      summary: summary.filter((name) => name in values).map(labelled),
      fields: schema.properties(type).map((p) => ({ label: `${p.label} (${p.name})`, value: shown(p.name) ?? null })),
    };
  };
  const ordered = <T extends { id: string; archivedMs: number | null }>(type: SandboxObjectType, records: T[], name: (r: T) => string) =>
    records.filter((r) => r.archivedMs === null).sort((a, b) => Number(holdsNps(type, b.id)) - Number(holdsNps(type, a.id)) || name(a).localeCompare(name(b)));
  const { relationalNps, healthQuadrant, lastTransactionalScore } = SEEDED_NPS_PROPERTY_NAMES;
  const contactName = (c: SandboxContact) => `${c.firstName} ${c.lastName}`;
  const companyName = (id: string) => portal.companyById.get(id)?.name ?? id;

  return [
    {
      name: 'accounts',
      title: 'Companies',
      description: 'Every company, those holding nps_bridge values first, then by name.',
      records: ordered('companies', portal.companies, (c) => c.name).map((c) =>
        view('companies', c, c.name, ['hubspot_owner_id', 'arr', 'renewal_date', relationalNps, healthQuadrant]),
      ),
    },
    {
      name: 'contacts',
      title: 'Contacts',
      description: 'Every contact, those holding nps_bridge values first, then by name.',
      records: ordered('contacts', portal.contacts, contactName).map((c) => view('contacts', c, contactName(c), ['email', lastTransactionalScore])),
    },
    {
      name: 'tasks',
      title: 'Tasks',
      description: 'Follow-up tasks created through the API, newest first.',
      records: sandbox
        .tasks()
        .reverse()
        .map((task) => {
          const facts: SandboxFieldView[] = [
            { label: 'Due', value: task.dueAt },
            { label: 'Owner', value: ownerName(task.ownerId) },
            { label: 'Status', value: task.status },
            { label: 'Company', value: task.companyIds.map(companyName).join(', ') || null },
          ];
          const contacts = task.contactIds.map((id) => portal.contactById.get(id)).map((c, i) => (c ? contactName(c) : task.contactIds[i]));
          return {
            id: task.id,
            title: task.subject ?? `Task ${task.id}`,
            summary: facts,
            fields: [
              { label: 'Subject', value: task.subject },
              ...facts,
              { label: 'Contact', value: contacts.join(', ') || null },
              { label: 'Priority', value: task.priority },
              { label: 'Type', value: task.type },
              { label: 'Completed at', value: task.completedAt },
              { label: 'Created at', value: task.createdAt },
              { label: 'Body', value: task.body },
            ],
          };
        }),
    },
  ];
}
