import { SandboxPortal } from './sandbox-data';
import { hubspotError, SandboxAnswer } from './sandbox-errors';

const OWNERS_MAX = 500;
const iso = (ms: number) => new Date(ms).toISOString();

/** GET /crm/v3/owners: `limit` ≤ 500 (else HubSpot's validation error), `after` an offset. */
export function listOwners(portal: SandboxPortal, query: URLSearchParams): SandboxAnswer {
  const limit = Number(query.get('limit') ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > OWNERS_MAX) {
    return hubspotError(400, 'An error occurred', 'VALIDATION_ERROR', {
      context: { limit: [`Must be less than or equal to ${OWNERS_MAX}`] },
      errors: [{ code: '400', in: 'query', message: 'Invalid limit value.', subCategory: 'INVALID_PARAMETER' }],
    });
  }
  const archived = query.get('archived') === 'true';
  const email = query.get('email');
  const owners = portal.owners.filter((o) => o.archived === archived && (!email || o.email === email));
  const offset = Number(query.get('after') ?? 0) || 0;
  const page = owners.slice(offset, offset + limit);
  const next = offset + limit < owners.length ? String(offset + limit) : undefined;
  return {
    status: 200,
    body: {
      results: page.map((o, i) => ({
        id: o.id,
        email: o.email,
        type: 'PERSON',
        firstName: o.firstName,
        lastName: o.lastName,
        userId: o.archived ? undefined : 9_000_000 + offset + i,
        userIdIncludingInactive: 9_000_000 + offset + i,
        createdAt: iso(o.createdMs),
        updatedAt: iso(o.createdMs),
        archived: o.archived,
        teams: [],
      })),
      ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}),
    },
  };
}

type PropertyDef = [name: string, label: string, type: string, fieldType: string, group: string, custom?: boolean];

const PROPERTIES: Record<string, PropertyDef[]> = {
  companies: [
    ['name', 'Company name', 'string', 'text', 'companyinformation'],
    ['domain', 'Company Domain Name', 'string', 'text', 'companyinformation'],
    ['annualrevenue', 'Annual Revenue', 'number', 'number', 'companyinformation'],
    ['hubspot_owner_id', 'Company owner', 'enumeration', 'select', 'companyinformation'],
    ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'companyinformation'],
    ['createdate', 'Create Date', 'datetime', 'date', 'companyinformation'],
    ['hs_object_id', 'Record ID', 'number', 'number', 'companyinformation'],
    ['arr', 'ARR', 'number', 'number', 'customer_success', true],
    ['renewal_date', 'Renewal date', 'date', 'date', 'customer_success', true],
    ['tier', 'Tier', 'enumeration', 'select', 'customer_success', true],
    ['customer_since', 'Customer since', 'date', 'date', 'customer_success', true],
    ['product_usage_score', 'Product usage score', 'number', 'number', 'customer_success', true],
  ],
  contacts: [
    ['email', 'Email', 'string', 'text', 'contactinformation'],
    ['firstname', 'First Name', 'string', 'text', 'contactinformation'],
    ['lastname', 'Last Name', 'string', 'text', 'contactinformation'],
    ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'contactinformation'],
    ['createdate', 'Create Date', 'datetime', 'date', 'contactinformation'],
    ['hs_object_id', 'Record ID', 'number', 'number', 'contactinformation'],
  ],
};

/** GET /crm/v3/properties/{object}: the standard properties plus the customer-success ones. */
export function listProperties(objectType: string, dropped: Set<string>): SandboxAnswer {
  const object = objectType === 'company' || objectType === '0-2' ? 'companies' : objectType === 'contact' || objectType === '0-1' ? 'contacts' : objectType;
  const defs = Object.prototype.hasOwnProperty.call(PROPERTIES, object) ? PROPERTIES[object] : undefined;
  if (!defs) return hubspotError(400, `Unable to infer object type from: ${objectType}`, 'VALIDATION_ERROR');
  const results = defs
    .filter(([name]) => object !== 'companies' || !dropped.has(name))
    .map(([name, label, type, fieldType, groupName, custom]) => ({
      name,
      label,
      type,
      fieldType,
      groupName,
      description: '',
      options: [],
      displayOrder: -1,
      calculated: false,
      externalOptions: false,
      hasUniqueValue: false,
      hidden: false,
      formField: !!custom,
      hubspotDefined: !custom,
      modificationMetadata: { archivable: !!custom, readOnlyDefinition: !custom, readOnlyValue: false },
    }));
  return { status: 200, body: { results } };
}
