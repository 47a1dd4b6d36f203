import { randomUUID } from 'node:crypto';
import { objectType } from './sandbox-associations';
import { badRequest, BATCH_MAX, hubspotError, missingScopes, SandboxAnswer, tooManyInputs } from './sandbox-errors';
import { SandboxObjectType } from './sandbox-objects';
import { FIELD_TYPES, SandboxProperty, SandboxSchema } from './sandbox-schema';

/** HubSpot internal property and group names: lowercase letters, digits and underscores. */
const INTERNAL_NAME = /^[a-z][a-z0-9_]*$/;

interface PropertyInput {
  name?: unknown;
  label?: unknown;
  type?: unknown;
  fieldType?: unknown;
  groupName?: unknown;
  description?: unknown;
  displayOrder?: unknown;
  formField?: unknown;
  hasUniqueValue?: unknown;
  options?: Array<{ label?: unknown; value?: unknown; displayOrder?: unknown; hidden?: unknown; description?: unknown }>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The properties API: list a type's properties, list and create groups, create properties one
 * at a time or in a batch. Writing definitions needs the crm.schemas.{type}.write scope; a
 * portal told to refuse it answers 403 MISSING_SCOPES.
 */
export class SandboxProperties {
  /** false: the app lacks crm.schemas.*.write (the setup command's "manual" path). */
  writable = true;

  constructor(
    private readonly schema: SandboxSchema,
    private readonly now: () => number,
  ) {}

  /** GET /crm/v3/properties/{objectType} */
  list(typeName: string): SandboxAnswer {
    return this.typed(typeName, (type) => ({ status: 200, body: { results: this.schema.properties(type).map(SandboxSchema.json) } }));
  }

  /** GET /crm/v3/properties/{objectType}/groups */
  listGroups(typeName: string): SandboxAnswer {
    return this.typed(typeName, (type) => ({ status: 200, body: { results: this.schema.groups(type).map((g) => ({ ...g, archived: false })) } }));
  }

  /** POST /crm/v3/properties/{objectType}/groups: 201, or 409 for a name in use. */
  createGroup(typeName: string, body: { name?: unknown; label?: unknown; displayOrder?: unknown }): SandboxAnswer {
    return this.writing(typeName, (type) => {
      if (typeof body.name !== 'string' || !INTERNAL_NAME.test(body.name)) return badRequest('name must be lowercase letters, digits and underscores, starting with a letter');
      if (typeof body.label !== 'string' || body.label.trim() === '') return badRequest('label is required');
      if (this.schema.group(type, body.name)) return hubspotError(409, `A property group named "${body.name}" already exists.`, 'OBJECT_ALREADY_EXISTS');
      const group = { name: body.name, label: body.label, displayOrder: typeof body.displayOrder === 'number' ? body.displayOrder : -1 };
      this.schema.addGroup(type, group);
      return { status: 201, body: { ...group, archived: false } };
    });
  }

  /** POST /crm/v3/properties/{objectType}: 201, 400 for an invalid definition, 409 for a name in use. */
  create(typeName: string, body: PropertyInput): SandboxAnswer {
    return this.writing(typeName, (type) => {
      const invalid = this.invalid(type, body);
      if (invalid) return badRequest(invalid);
      if (this.schema.property(type, body.name as string)) return this.duplicate(type, body.name as string, 409);
      return { status: 201, body: SandboxSchema.json(this.define(type, body)) };
    });
  }

  /**
   * POST /crm/v3/properties/{objectType}/batch/create: every input validated first (one invalid
   * definition refuses the batch); names already in use come back as 207 errors while the rest
   * are created.
   */
  batchCreate(typeName: string, body: { inputs?: PropertyInput[] }): SandboxAnswer {
    return this.writing(typeName, (type) => {
      const inputs = body.inputs;
      if (!Array.isArray(inputs) || inputs.length === 0) return badRequest('inputs must be a non-empty list.');
      if (inputs.length > BATCH_MAX) return tooManyInputs();
      for (const [i, input] of inputs.entries()) {
        const invalid = this.invalid(type, input);
        if (invalid) return badRequest(`inputs[${i}]: ${invalid}`);
      }
      const startedAt = iso(this.now());
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const input of inputs) {
        if (this.schema.property(type, input.name as string)) errors.push(this.duplicate(type, input.name as string, 207).body);
        else results.push(SandboxSchema.json(this.define(type, input)));
      }
      const envelope = { status: 'COMPLETE', results, startedAt, completedAt: iso(this.now()) };
      return errors.length > 0 ? { status: 207, body: { ...envelope, numErrors: errors.length, errors } } : { status: 201, body: envelope };
    });
  }

  private typed(typeName: string, then: (type: SandboxObjectType) => SandboxAnswer): SandboxAnswer {
    const type = objectType(typeName);
    return type ? then(type) : badRequest(`Unable to infer object type from: ${typeName}`);
  }

  private writing(typeName: string, then: (type: SandboxObjectType) => SandboxAnswer): SandboxAnswer {
    return this.typed(typeName, (type) => (this.writable ? then(type) : missingScopes(`crm.schemas.${type}.write`)));
  }

  /** What HubSpot's validation says about a definition, or undefined when it is fine. */
  private invalid(type: SandboxObjectType, input: PropertyInput): string | undefined {
    for (const field of ['name', 'label', 'groupName', 'type', 'fieldType'] as const) {
      if (typeof input[field] !== 'string' || (input[field] as string).trim() === '') return `${field} is required`;
    }
    const { name, groupName, type: kind, fieldType } = input as Record<'name' | 'groupName' | 'type' | 'fieldType', string>;
    if (!INTERNAL_NAME.test(name)) return `"${name}" is not a valid property name: use lowercase letters, digits and underscores, starting with a letter`;
    if (!this.schema.group(type, groupName)) return `Property group "${groupName}" does not exist`;
    if (!FIELD_TYPES[kind]) return `"${kind}" is not a valid property type: one of ${Object.keys(FIELD_TYPES).join(', ')}`;
    if (!FIELD_TYPES[kind].includes(fieldType)) return `fieldType "${fieldType}" is not valid for type ${kind}: one of ${FIELD_TYPES[kind].join(', ')}`;
    if (kind === 'enumeration') {
      const options = input.options ?? [];
      if (!Array.isArray(options) || options.length === 0) return `Enumeration property "${name}" needs at least one option`;
      if (options.some((o) => typeof o.label !== 'string' || typeof o.value !== 'string' || o.value === '')) return `Every option of "${name}" needs a label and a value`;
      if (new Set(options.map((o) => o.value)).size !== options.length) return `Option values of "${name}" must be unique`;
    }
    return undefined;
  }

  private define(type: SandboxObjectType, input: PropertyInput): SandboxProperty {
    const property: SandboxProperty = {
      name: input.name as string,
      label: input.label as string,
      type: input.type as string,
      fieldType: input.fieldType as string,
      groupName: input.groupName as string,
      description: typeof input.description === 'string' ? input.description : '',
      options: (input.type === 'enumeration' ? (input.options ?? []) : []).map((o, i) => ({
        label: String(o.label),
        value: String(o.value),
        displayOrder: typeof o.displayOrder === 'number' ? o.displayOrder : i,
        hidden: o.hidden === true,
        ...(typeof o.description === 'string' ? { description: o.description } : {}),
      })),
      displayOrder: typeof input.displayOrder === 'number' ? input.displayOrder : -1,
      hubspotDefined: false,
      readOnlyValue: false,
      externalOptions: false,
      formField: input.formField === true,
      hasUniqueValue: input.hasUniqueValue === true,
      createdMs: this.now(),
    };
    this.schema.add(type, property);
    return property;
  }

  /** A name already in use: 409 for a single create, an entry of `errors` in a batch. */
  private duplicate(type: SandboxObjectType, name: string, status: number): SandboxAnswer {
    return {
      status,
      body: {
        status: 'error',
        category: 'OBJECT_ALREADY_EXISTS',
        message: `A ${type === 'companies' ? 'company' : 'contact'} property named "${name}" already exists.`,
        context: { name: [name] },
        correlationId: randomUUID(),
      },
    };
  }
}
