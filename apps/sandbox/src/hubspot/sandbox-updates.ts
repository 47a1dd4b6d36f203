import { randomUUID } from 'node:crypto';
import { SandboxPortal } from './sandbox-data';
import { badRequest, BATCH_MAX, invalidProperties, PropertyProblem, SandboxAnswer, tooManyInputs } from './sandbox-errors';
import { SandboxObjectType } from './sandbox-objects';
import { recordHistory } from './sandbox-history';
import { checkValue, SandboxRecord, writeValue } from './sandbox-records';
import { SandboxSchema } from './sandbox-schema';

interface UpdateBody {
  inputs?: Array<{ id?: unknown; properties?: Record<string, unknown> }>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * POST /crm/v3/objects/{companies|contacts}/batch/update, as HubSpot answers it:
 * - more than 100 inputs, or one id twice → 400 for the batch;
 * - any property value invalid for its definition (unknown property, read-only, bad option,
 *   not a number, not a date) → one 400 VALIDATION_ERROR for the batch, nothing written;
 * - ids that are not live records → 207 with OBJECT_NOT_FOUND naming them, the rest written.
 * A written record's modification time moves, so the next incremental sync sees it.
 */
export function batchUpdate(portal: SandboxPortal, schema: SandboxSchema, type: SandboxObjectType, body: UpdateBody): SandboxAnswer {
  const inputs = body.inputs;
  if (!Array.isArray(inputs)) return badRequest('inputs is required');
  if (inputs.length > BATCH_MAX) return tooManyInputs();
  const ids = inputs.map((input) => String(input.id ?? ''));
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) return badRequest(`Duplicate IDs found in batch input: [${[...new Set(twice)].join(', ')}]. IDs must be unique`);

  const isOwner = (id: string) => portal.owners.some((owner) => owner.id === id && !owner.archived);
  const problems = new Map<string, PropertyProblem>();
  const checked = inputs.map((input) =>
    Object.entries(input.properties ?? {}).flatMap(([name, raw]) => {
      const result = checkValue(schema.property(type, name), name, raw, isOwner);
      if (!('error' in result)) return [[name, result.value] as const];
      problems.set(`${result.name}\u0000${result.error}\u0000${result.value ?? ''}`, result);
      return [];
    }),
  );
  if (problems.size > 0) return invalidProperties([...problems.values()]);

  const records = type === 'companies' ? portal.companyById : portal.contactById;
  const missing: string[] = [];
  const results: unknown[] = [];
  inputs.forEach((input, i) => {
    const record: SandboxRecord | undefined = records.get(ids[i]);
    if (!record || record.archivedMs !== null) return void missing.push(ids[i]);
    for (const [name, value] of checked[i]) writeValue(portal, type, record, name, value);
    record.modifiedMs = portal.touch();
    for (const [name, value] of checked[i]) recordHistory(portal, type, record.id, name, value, record.modifiedMs, 'INTEGRATION');
    const modified = type === 'companies' ? 'hs_lastmodifieddate' : 'lastmodifieddate';
    results.push({
      id: record.id,
      properties: { ...Object.fromEntries(checked[i]), [modified]: iso(record.modifiedMs), hs_object_id: record.id },
      createdAt: iso(record.createdMs),
      updatedAt: iso(record.modifiedMs),
      archived: false,
    });
  });
  const now = iso(Date.now());
  const envelope = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
  if (missing.length === 0) return { status: 200, body: envelope };
  const error = {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${type === 'companies' ? 'COMPANY' : 'CONTACT'} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids: missing },
    correlationId: randomUUID(),
  };
  return { status: 207, body: { ...envelope, numErrors: 1, errors: [error] } };
}
