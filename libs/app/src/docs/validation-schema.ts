import 'reflect-metadata';
import type { SchemaObject } from '@nestjs/swagger';
import { getMetadataStorage, validateSync, ValidationTypes } from 'class-validator';

/**
 * OpenAPI schemas read from class-validator metadata. Connectors validate an admin's input with
 * their own classes and stay free of Nest, so /docs describes those classes from the very rules
 * that validate the input: a rule added to a connector shows up in /docs without a second copy.
 */

type Rule = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
type Condition = (object: object, value: unknown) => boolean;
type Ctor = new () => object;

/** A value that passes "was it given" conditions: conditions here only test presence or equality. */
const PRESENT = '…';

function rulesByProperty(cls: Ctor): Map<string, Rule[]> {
  const byProperty = new Map<string, Rule[]>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false)) {
    byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  }
  return byProperty;
}

/** class-validator's own rules that propertySchema turns into schema keywords. */
const TRANSLATED = new Set([
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isObject',
  'isIn',
  'min',
  'max',
  'isPositive',
  'isNotEmpty',
  'minLength',
  'maxLength',
  'matches',
  'isUrl',
  'isEmail',
  'isIso8601',
]);

/** Custom messages that only restate the type or range say nothing the schema does not. */
const RESTATES = /must (be an integer|be at (least|most) [\d,.]+|not be empty|be a positive (id|number)|be an? (string|number|object|boolean)|be an http\(s\) URL)$/;

/** What a rule's own message says about the value, without the property name it starts with. */
function note(rule: Rule, property: string): string | undefined {
  if (rule.type === ValidationTypes.NESTED_VALIDATION) return undefined;
  let message: string | undefined;
  if (typeof rule.message === 'string') message = rule.message;
  else if (rule.type === ValidationTypes.CUSTOM_VALIDATION && !TRANSLATED.has(rule.name ?? '')) {
    // A connector's own validator (registerDecorator with a function): its message states the rule.
    const constraint = new (rule.constraintCls as new () => { defaultMessage?: (args: unknown) => string })();
    message = constraint.defaultMessage?.({ property, constraints: rule.constraints, value: undefined, targetName: '', object: {} });
  }
  if (!message || RESTATES.test(message)) return undefined;
  return message.replace(/\$property/g, property).replace(new RegExp(`^(\\S+\\.)?${property} `), '');
}

/** One property's schema from its rules (type, enum, range, pattern, format, nested class). */
function propertySchema(cls: Ctor, property: string, rules: Rule[], partial: boolean, fallback: unknown): SchemaObject {
  const schema: SchemaObject = {};
  const notes: string[] = [];
  for (const rule of rules) {
    const [first] = rule.constraints ?? [];
    switch (rule.name ?? rule.type) {
      case 'isString':
        schema.type = 'string';
        break;
      case 'isInt':
        schema.type = 'integer';
        break;
      case 'isNumber':
        schema.type ??= 'number';
        break;
      case 'isBoolean':
        schema.type = 'boolean';
        break;
      case 'isObject':
        schema.type = 'object';
        break;
      case 'isIn':
        schema.enum = [...(first as unknown[])];
        schema.type ??= typeof (first as unknown[])[0] === 'number' ? 'number' : 'string';
        break;
      case 'min':
        schema.minimum = first as number;
        break;
      case 'max':
        schema.maximum = first as number;
        break;
      case 'isPositive':
        if (schema.minimum === undefined) Object.assign(schema, { minimum: 0, exclusiveMinimum: true });
        break;
      case 'isNotEmpty':
        schema.minLength ??= 1;
        break;
      case 'minLength':
        schema.minLength = first as number;
        break;
      case 'maxLength':
        schema.maxLength = first as number;
        break;
      case 'matches':
        schema.type = 'string';
        // JSON Schema patterns have no flags: a case-insensitive one is left to the description.
        if (!(first instanceof RegExp && first.flags.includes('i'))) schema.pattern = first instanceof RegExp ? first.source : String(first);
        break;
      case 'isUrl':
        schema.type = 'string';
        schema.format = 'uri';
        break;
      case 'isEmail':
        schema.type = 'string';
        schema.format = 'email';
        break;
      case 'isIso8601':
        schema.type = 'string';
        schema.format = 'date-time';
        break;
      case 'isOptional':
        schema.nullable = true;
        break;
    }
    if (rule.type === ValidationTypes.NESTED_VALIDATION) {
      const nested = Reflect.getMetadata('design:type', cls.prototype, property) as Ctor | undefined;
      if (nested && nested !== Object) Object.assign(schema, nestedSchema(nested, partial, fallback));
    }
    const said = note(rule, property);
    if (said && !notes.includes(said)) notes.push(said);
  }
  if (schema.type === 'integer' && schema.exclusiveMinimum && schema.minimum === 0) {
    schema.minimum = 1;
    delete schema.exclusiveMinimum;
  }
  if (notes.length) schema.description = notes.join('; ');
  return schema;
}

function conditions(rules: Rule[]): Condition[] {
  return rules.filter((r) => r.type === ValidationTypes.CONDITIONAL_VALIDATION && r.name !== 'isOptional').map((r) => r.constraints[0] as Condition);
}

export interface ClassSchemaOptions {
  /** Every property may be left out (settings: defaults fill the rest). */
  partial?: boolean;
  /** Values the discriminating properties hold in this variant (e.g. { authType: 'jwt' }). */
  given?: Record<string, unknown>;
  /** Defaults to document, by property (settings: what withDefaults fills in). */
  defaults?: object;
}

/**
 * A class as an object schema. A property is required when it has no @IsOptional, no default
 * and, if conditional, its condition holds with only `given` set; a conditional property whose
 * condition cannot hold under `given` (the JWT key in a client-credentials login) is left out.
 */
export function classSchema(cls: Ctor, options: ClassSchemaOptions = {}): SchemaObject {
  const blank = new cls() as Record<string, unknown>;
  const defaults = (options.defaults ?? blank) as Record<string, unknown>;
  // A default its own rules refuse under `given` (a shared login host for a client-credentials
  // login) is no default: the property must be given.
  const refused = new Set(options.partial ? [] : validateSync(Object.assign(new cls(), options.given)).map((e) => e.property));
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  for (const [property, rules] of rulesByProperty(cls)) {
    const probe = (value: unknown) => Object.assign(new cls(), options.given, { [property]: value });
    const when = conditions(rules);
    if (options.given && !when.every((holds) => holds(probe(PRESENT), PRESENT))) continue;
    const fallback = defaults[property];
    const schema = propertySchema(cls, property, rules, options.partial ?? false, fallback);
    const decides = options.given !== undefined && property in options.given;
    if (decides) schema.enum = [options.given![property]];
    const ownDefault = !refused.has(property);
    if (ownDefault && fallback !== undefined && (fallback === null || typeof fallback !== 'object')) schema.default = fallback;
    const optional = rules.some((r) => r.name === 'isOptional') || when.some((holds) => !holds(probe(undefined), undefined));
    if (decides || (!options.partial && !optional && (blank[property] === undefined || !ownDefault))) required.push(property);
    properties[property] = schema;
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

/** A nested class: one schema, or one per value of its deciding property (renewal date source). */
function nestedSchema(cls: Ctor, partial: boolean, defaults: unknown): SchemaObject {
  const decided = classVariants(cls, partial);
  if (!decided) return classSchema(cls, { partial, defaults: typeof defaults === 'object' && defaults ? defaults : undefined });
  return { oneOf: decided.variants.map((v) => v.schema) };
}

/**
 * The property whose value decides which other properties apply (authType), with one schema per
 * value, or undefined when no enumerated property changes what else is asked for.
 */
export function classVariants(cls: Ctor, partial = false): { property: string; variants: Array<{ value: string; schema: SchemaObject }> } | undefined {
  for (const [property, rules] of rulesByProperty(cls)) {
    const values = rules.find((r) => r.name === 'isIn')?.constraints[0] as unknown[] | undefined;
    if (!values || rules.some((r) => r.name === 'isOptional' || r.type === ValidationTypes.CONDITIONAL_VALIDATION)) continue;
    const variants = values.map((value) => ({ value: String(value), schema: classSchema(cls, { partial, given: { [property]: value } }) }));
    const shapes = new Set(variants.map((v) => JSON.stringify({ ...v.schema.properties, [property]: null, required: v.schema.required })));
    if (shapes.size > 1) return { property, variants };
  }
  return undefined;
}
