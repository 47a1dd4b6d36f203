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
