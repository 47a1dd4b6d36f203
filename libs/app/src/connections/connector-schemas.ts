import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { NPS_ACCOUNT_FIELDS, NPS_CONTACT_FIELDS } from '@connectors/core/src';
import { CRM_CONNECTORS, HELPDESK_CONNECTORS } from '@connectors/core/registry';
import { ROLE_PRECEDENCE } from '@libs/nps/src';
import { classSchema, classVariants } from '../docs/validation-schema';

/**
 * The per-vendor parts of the connections API in /docs: each registered connector's credentials
 * (one schema per authType) and settings, read from the connector's own validation classes and
 * defaults. Nothing here names a vendor: a connector added to the registry documents itself.
 */

type Factory = (typeof CRM_CONNECTORS)[string] | (typeof HELPDESK_CONNECTORS)[string];

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const pascal = (words: string) =>
  words
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

function factories(): Factory[] {
  return [...Object.values(CRM_CONNECTORS), ...Object.values(HELPDESK_CONNECTORS)];
}

/** Schema names of one connector: `SalesforceCredentials`, `HubSpotSettings`, … from its label. */
function connectorSchemaNames(factory: Factory): { credentials: string; settings: string; create: string } {
  const label = pascal(factory.label);
  return { credentials: `${label}Credentials`, settings: `${label}Settings`, create: `Create${label}Connection` };
}

/** Every connector kind registered, for enums. */
export const CONNECTOR_KINDS: string[] = factories().map((f) => f.kind);

export const credentialsRefs = (): ReferenceObject[] => factories().map((f) => ref(connectorSchemaNames(f).credentials));
export const settingsRefs = (): ReferenceObject[] => factories().map((f) => ref(connectorSchemaNames(f).settings));

const ROLE_MAPPING_NOTE = 'CRM role label → role, on top of the program defaults';

/** Settings every CRM connection has whatever the vendor (connector-input.ts COMMON_CRM_SETTINGS). */
function commonCrmSettings(): Record<string, SchemaObject> {
  const fieldName: SchemaObject = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,79}$' };
  return {
    roleMapping: {
      type: 'object',
      description: ROLE_MAPPING_NOTE,
      additionalProperties: { type: 'string', enum: [...ROLE_PRECEDENCE] },
      example: { 'Economic Buyer': 'decision_maker', 'Power User': 'end_user' },
    },
    dailyBudgetShare: {
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1,
      description: "share of the vendor's daily API allocation a sync may use before it pauses",
    },
    npsFields: {
      type: 'object',
      description: 'API names of the NPS fields written back (libs/nps/README.md §8), renaming the connector defaults',
      properties: Object.fromEntries([...new Set([...NPS_ACCOUNT_FIELDS, ...NPS_CONTACT_FIELDS])].map((f) => [f, fieldName])),
      additionalProperties: false,
    },
  };
}

function settingsSchema(factory: Factory): SchemaObject {
  const own = classSchema(factory.settingsClass, { partial: true, defaults: factory.withDefaults(undefined) });
  const common = factory.role === 'crm' ? commonCrmSettings() : {};
  // The vendor's own rule wins where both define a key (a connector may set its own budget share).
  own.properties = { ...common, ...own.properties };
  own.description = `${factory.label} settings: send only what differs, defaults (shown) fill the rest`;
  return own;
}

function credentialsSchemas(factory: Factory): Record<string, SchemaObject> {
  const name = connectorSchemaNames(factory).credentials;
  const stored = 'stored encrypted, never returned';
  const decided = classVariants(factory.credentialsClass);
  if (!decided) return { [name]: { ...classSchema(factory.credentialsClass), description: `${factory.label} credentials; ${stored}` } };
  const schemas: Record<string, SchemaObject> = {};
  const mapping: Record<string, string> = {};
  for (const variant of decided.variants) {
    const variantName = `${pascal(factory.label)}${pascal(variant.value)}Credentials`;
    schemas[variantName] = { ...variant.schema, description: `${factory.label} credentials with ${decided.property} ${variant.value}; ${stored}` };
    mapping[variant.value] = ref(variantName).$ref;
  }
  schemas[name] = {
    description: `${factory.label} credentials, one shape per ${decided.property}`,
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: decided.property, mapping },
  };
  return schemas;
}

/** The body of POST /api/connections for one connector. */
function createSchema(factory: Factory): SchemaObject {
  const names = connectorSchemaNames(factory);
  return {
    type: 'object',
    description: `a ${factory.label} connection${factory.role === 'crm' ? ' (its first sync starts at once)' : ''}`,
    properties: {
      kind: { type: 'string', enum: [factory.kind] },
      name: { type: 'string', minLength: 1, maxLength: 100, example: `${factory.label} production` },
      credentials: ref(names.credentials),
      settings: ref(names.settings),
    },
    required: ['kind', 'name', 'credentials'],
    additionalProperties: false,
  };
}

/** Named schemas to add to the OpenAPI document's components. */
export function connectorSchemas(): Record<string, SchemaObject> {
  const schemas: Record<string, SchemaObject> = {};
  const mapping: Record<string, string> = {};
  for (const factory of factories()) {
    const names = connectorSchemaNames(factory);
    Object.assign(schemas, credentialsSchemas(factory), { [names.settings]: settingsSchema(factory), [names.create]: createSchema(factory) });
    mapping[factory.kind] = ref(names.create).$ref;
  }
  schemas[CREATE_CONNECTION_SCHEMA] = {
    description: 'a new connection: `kind` decides the shape of credentials and settings',
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: 'kind', mapping },
  };
  return schemas;
}

const CREATE_CONNECTION_SCHEMA = 'CreateConnection';
export const createConnectionRef = (): ReferenceObject => ref(CREATE_CONNECTION_SCHEMA);
