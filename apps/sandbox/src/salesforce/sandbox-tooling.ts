import { KEY_PREFIX, salesforceId } from './salesforce-ids';
import { NO_ACCESS_MESSAGE, OrgSetup } from './sandbox-permissions';
import { FieldSchema, FieldType } from './sandbox-schema';
import { SandboxStore } from './sandbox-store';

type Json = Record<string, unknown>;

const errorBody = (errorCode: string, message: string) => [{ message, errorCode, fields: [] as string[] }];
/** Salesforce's rule for a field's API name, as Setup states it. */
const FIELD_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__c$/;
const NAME_RULE =
  'The Field Name field can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';

class Invalid extends Error {}

const integer = (value: unknown, name: string, type: string, min: number, max: number): number => {
  if (value === undefined || value === null) throw new Invalid(`Must specify '${name}' for a CustomField of type ${type}`);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new Invalid(`${name}: ${String(value)} is not between ${min} and ${max} for a CustomField of type ${type}`);
  return value;
};

function text(value: unknown, name: string, max: number, required: boolean): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw new Invalid(`${name}: You must enter a value`);
    return undefined;
  }
  if (typeof value !== 'string') throw new Invalid(`${name}: must be text`);
  if (value.length > max) throw new Invalid(`${name}: data value too large: ${value} (max length=${max})`);
  return value;
}

/** The field a CustomField Metadata body describes, or why Salesforce would refuse it. */
function fieldFromMetadata(name: string, metadata: Json): FieldSchema {
  const type = String(metadata.type ?? '');
  const label = text(metadata.label, 'Field Label', 40, true) as string;
  const common = {
    name,
    label,
    custom: true,
    nillable: type !== 'Checkbox',
    description: text(metadata.description, 'Description', 1000, false),
    inlineHelpText: text(metadata.inlineHelpText, 'Help Text', 510, false),
  };
  const make = (fieldType: FieldType, extra: Partial<FieldSchema> = {}): FieldSchema => ({ ...common, type: fieldType, ...extra });
  switch (type) {
    case 'Number':
    case 'Currency':
    case 'Percent': {
      const precision = integer(metadata.precision, 'precision', type, 1, 18);
      const scale = integer(metadata.scale, 'scale', type, 0, precision);
      return make(type === 'Currency' ? 'currency' : 'double', { precision, scale });
    }
    case 'Text':
      return make('string', { length: integer(metadata.length, 'length', type, 1, 255) });
    case 'TextArea':
      return make('textarea', { length: 255 });
    case 'LongTextArea':
      integer(metadata.visibleLines, 'visibleLines', type, 1, 50);
      return make('textarea', { length: integer(metadata.length, 'length', type, 256, 131072) });
    case 'Date':
      return make('date');
    case 'DateTime':
      return make('datetime');
    case 'Checkbox':
      return make('boolean');
    case 'Picklist':
      return make('picklist', { picklistValues: picklistValues(metadata.valueSet) });
    default:
      throw new Invalid(`type: '${type}' is not a field type this org supports (Number, Currency, Percent, Text, TextArea, LongTextArea, Date, DateTime, Checkbox, Picklist)`);
  }
}

/** valueSet.valueSetDefinition.value[].fullName, required and distinct. Every picklist here is restricted. */
function picklistValues(valueSet: unknown): string[] {
  const values = ((valueSet as Json | undefined)?.valueSetDefinition as Json | undefined)?.value;
  if (!Array.isArray(values) || values.length === 0) throw new Invalid('Picklist: you must enter at least one value in valueSet.valueSetDefinition.value');
  const names = values.map((v) => text((v as Json | null)?.fullName, 'Picklist value fullName', 255, true) as string);
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n.toLowerCase())) throw new Invalid(`Picklist: duplicate value ${n}`);
    seen.add(n.toLowerCase());
  }
  return names;
}

/**
 * POST /tooling/sobjects/CustomField: { FullName: 'Object.Name__c', Metadata: { type, label,
 * ... } } adds the field to the object's schema, hidden by field-level security until a
 * permission set grants it (OrgSetup). Refused with 403 when the user may not change metadata,
 * 400 DUPLICATE_DEVELOPER_NAME for a name the object already has (even hidden), 400
 * FIELD_INTEGRITY_EXCEPTION for metadata Salesforce would not accept.
 */
export class ToolingFields {
  private created = 0;

  constructor(
    private readonly store: SandboxStore,
    private readonly setup: OrgSetup,
  ) {}

  create(body: string): [number, unknown] {
    let input: Json;
    try {
      input = JSON.parse(body) as Json;
    } catch {
      return [400, errorBody('JSON_PARSER_ERROR', 'The request body is not valid JSON')];
    }
    if (!this.setup.metadataAccess.fields) return [403, errorBody('INSUFFICIENT_ACCESS_OR_READONLY', NO_ACCESS_MESSAGE)];
    const missing = ['FullName', 'Metadata'].filter((k) => input?.[k] === undefined || input[k] === null);
    if (missing.length > 0) return [400, errorBody('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`)];
    const [objectName, name, extra] = String(input.FullName).split('.');
    const schema = this.store.objectSchema(objectName ?? '');
    if (!schema || extra !== undefined || !name)
      return [400, errorBody('FIELD_INTEGRITY_EXCEPTION', `FullName: ${String(input.FullName)} does not name a field of an object (Object.Field__c)`)];
    if (!FIELD_NAME.test(name) || name.length > 43) return [400, errorBody('FIELD_INTEGRITY_EXCEPTION', NAME_RULE)];
    if (schema.fields.some((f) => f.name.toLowerCase() === name.toLowerCase())) {
      return [400, errorBody('DUPLICATE_DEVELOPER_NAME', `There is already a field named ${name.replace(/__c$/, '')} on ${schema.name}.`)];
    }
    if (typeof input.Metadata !== 'object' || Array.isArray(input.Metadata)) return [400, errorBody('JSON_PARSER_ERROR', 'Metadata must be an object')];
    let field: FieldSchema;
    try {
      field = fieldFromMetadata(name, input.Metadata as Json);
    } catch (error) {
      if (error instanceof Invalid) return [400, errorBody('FIELD_INTEGRITY_EXCEPTION', error.message)];
      throw error;
    }
    schema.fields.push(field);
    this.setup.secure(schema.name, field);
    return [201, { id: salesforceId(KEY_PREFIX.CustomField, ++this.created), success: true, errors: [], warnings: [], infos: [] }];
  }
}
