import { SANDBOX_LABELS, SandboxLink, SandboxPortal } from './sandbox-data';
import { badRequest, SandboxAnswer } from './sandbox-errors';
import { SandboxObjectType } from './sandbox-objects';

const BATCH_MAX = 100;

/** v4 object type names: plural, singular or HubSpot's numeric ids. */
export function objectType(name: string): SandboxObjectType | undefined {
  if (['companies', 'company', '0-2'].includes(name)) return 'companies';
  if (['contacts', 'contact', '0-1'].includes(name)) return 'contacts';
  return undefined;
}

/** The association types one link shows from one side: HubSpot's default, primary, custom labels. */
function associationTypes(link: SandboxLink, from: SandboxObjectType) {
  const fromContact = from === 'contacts';
  return [
    ...(link.primary ? [{ category: 'HUBSPOT_DEFINED', typeId: fromContact ? 1 : 2, label: 'Primary' }] : []),
    { category: 'HUBSPOT_DEFINED', typeId: fromContact ? 279 : 280, label: null },
    ...link.labels.map((label) => {
      const type = SANDBOX_LABELS.find((l) => l.label === label)!;
      return { category: 'USER_DEFINED', typeId: fromContact ? type.contactToCompany : type.companyToContact, label };
    }),
  ];
}

/**
 * POST /crm/v4/associations/{from}/{to}/batch/read: ≤ 100 inputs; each record's associations
 * paged by `after` (pageSize per record). Records without associations are listed under
 * `errors` with a 207, as HubSpot does.
 */
export function batchReadAssociations(
  portal: SandboxPortal,
  fromName: string,
  toName: string,
  body: { inputs?: Array<{ id?: string; after?: string }> },
  pageSize: number,
): SandboxAnswer {
  const from = objectType(fromName);
  const to = objectType(toName);
  if (!from || !to || from === to) return badRequest(`Unsupported association pair ${fromName} → ${toName} in this sandbox.`);
  const inputs = body.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) return badRequest('inputs must be a non-empty list.');
  if (inputs.length > BATCH_MAX) return badRequest(`Batch input size ${inputs.length} exceeds the maximum of ${BATCH_MAX}.`);
  const startedAt = new Date().toISOString();
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const input of inputs) {
    const id = String(input.id ?? '');
    const links = ((from === 'companies' ? portal.linksByCompany : portal.linksByContact).get(id) ?? []).filter((l) => portal.isLive(l));
    if (links.length === 0) {
      errors.push({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
        message: `No ${to} is associated with ${from} ${id}.`,
        context: { fromObjectId: [id] },
        links: {},
        errors: [],
      });
      continue;
    }
    const offset = Number(input.after ?? 0) || 0;
    const page = links.slice(offset, offset + pageSize);
    const next = offset + pageSize < links.length ? String(offset + pageSize) : undefined;
    results.push({
      from: { id },
      to: page.map((link) => ({
        toObjectId: Number(from === 'companies' ? link.contactId : link.companyId),
        associationTypes: associationTypes(link, from),
      })),
      ...(next ? { paging: { next: { after: next, link: null } } } : {}),
    });
  }
  const envelope = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
  return errors.length > 0 ? { status: 207, body: { ...envelope, errors, numErrors: errors.length } } : { status: 200, body: envelope };
}
