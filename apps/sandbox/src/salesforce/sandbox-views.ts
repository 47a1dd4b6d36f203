import { SalesforceSandbox } from './salesforce-sandbox';
import { SEEDED_NPS_FIELD_NAMES } from './sandbox-nps-fields';
import { FieldSchema, ObjectSchema } from './sandbox-schema';
import { Row } from './sandbox-store';
import { SandboxFieldView, SandboxRecordList, SandboxRecordView } from '../kit/sandbox-demo';

/** Bookkeeping fields a user's record page does not show. */
const HIDDEN = new Set(['Id', 'IsDeleted', 'SystemModstamp']);
/** The NPS fields under the names the setup gives them by default (as the seeded org has them). */
const NPS_FIELDS: ReadonlySet<string> = new Set(Object.values(SEEDED_NPS_FIELD_NAMES));

/**
 * The org as a CSM sees it in Salesforce: accounts and contacts with every field they may read
 * (the NPS fields nps-bridge wrote back among them, records holding them first) and the
 * follow-up tasks, newest first.
 */
export function salesforceRecords(sandbox: SalesforceSandbox): SandboxRecordList[] {
  const { store } = sandbox;
  const schema = (name: string) => store.objectSchema(name)!;
  const live = (object: string) => store.rows(object).filter((row) => !row.IsDeleted);
  const nameOf = (id: unknown) => (typeof id === 'string' ? ((store.get(id)?.Name as string | undefined) ?? id) : null);

  const value = (field: FieldSchema, row: Row): string | null => {
    const raw = row[field.name];
    if (raw === undefined || raw === null || raw === '') return null;
    if (field.type === 'reference') return nameOf(raw);
    if (field.type === 'datetime' && typeof raw === 'number') return new Date(raw).toISOString();
    if (field.type === 'boolean') return raw ? 'Yes' : 'No';
    if (field.type === 'multipicklist') return String(raw).split(';').join(', ');
    return String(raw);
  };
  const visible = (object: ObjectSchema) => object.fields.filter((f) => !HIDDEN.has(f.name) && f.access !== 'none');
  const fieldsOf = (object: ObjectSchema, row: Row): SandboxFieldView[] =>
    visible(object).map((f) => ({ label: f.label === f.name ? f.name : `${f.label} (${f.name})`, value: value(f, row) }));
  const pick = (object: ObjectSchema, row: Row, names: string[]): SandboxFieldView[] =>
    names.flatMap((name) => {
      const field = visible(object).find((f) => f.name === name);
      return field ? [{ label: field.label, value: value(field, row) }] : [];
    });
  const holdsNps = (row: Row) => Object.keys(row).some((k) => NPS_FIELDS.has(k) && row[k] !== null && row[k] !== undefined);
  const npsFirst = (rows: Row[]) => [...rows].sort((a, b) => Number(holdsNps(b)) - Number(holdsNps(a)) || String(a.Name).localeCompare(String(b.Name)));
  const view = (object: ObjectSchema, row: Row, summary: string[]): SandboxRecordView => ({
    id: row.Id,
    title: String(row.Name ?? row.Subject ?? row.Id),
    summary: pick(object, row, summary),
    fields: fieldsOf(object, row),
  });
  const { relationalNps, healthQuadrant, lastTransactionalScore } = SEEDED_NPS_FIELD_NAMES;

  const account = schema('Account');
  const contact = schema('Contact');
  const task = schema('Task');
  return [
    {
      name: 'accounts',
      title: 'Accounts',
      description: 'Every account, those holding NPS values first, then by name.',
      records: npsFirst(live('Account')).map((row) => view(account, row, ['OwnerId', 'ARR__c', 'Renewal_Date__c', relationalNps, healthQuadrant])),
    },
    {
      name: 'contacts',
      title: 'Contacts',
      description: 'Every contact, those holding NPS values first, then by name.',
      records: npsFirst(live('Contact')).map((row) => view(contact, row, ['Email', 'AccountId', lastTransactionalScore])),
    },
    {
      name: 'tasks',
      title: 'Tasks',
      description: 'Follow-up tasks created through the API, newest first.',
      records: live('Task')
        .sort((a, b) => Number(b.CreatedDate) - Number(a.CreatedDate) || b.Id.localeCompare(a.Id))
        .map((row) => view(task, row, ['ActivityDate', 'OwnerId', 'Status', 'WhatId'])),
    },
  ];
}
