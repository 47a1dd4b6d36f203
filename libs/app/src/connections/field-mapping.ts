import { BadRequestException } from '@nestjs/common';
import { crmConnectorFactory } from '@connectors/core/registry';
import {
  CrmFieldInfo,
  CrmFieldSpec,
  CrmFieldType,
  CrmObject,
  NPS_ACCOUNT_FIELDS,
  NPS_CONTACT_FIELDS,
  NPS_FIELD_SHAPES,
  NpsAccountField,
  NpsContactField,
} from '@connectors/core/src';
import { validateSettings } from './connector-input';

/**
 * A CRM connection's field mapping as the console's mapping page offers it, in the terms the
 * connections API stores and validates: `settings.fieldMapping` (the account fields nps-bridge
 * reads: ARR, tier, …; keys and defaults from the connector) and `settings.npsFields` (the API
 * names of the NPS fields it writes back, rules §8, defaults from the connector). Pure: the CRM's
 * real fields come from ConnectionsService.fields, the saving goes through ConnectionsService.update.
 */

export type NpsField = NpsAccountField | NpsContactField;

/** One account field nps-bridge reads (a key of settings.fieldMapping). */
export interface ReadMapping {
  /** The fieldMapping key: arr, tier, customerSince, … */
  key: string;
  /** The API name it reads now; null when not mapped. */
  current: string | null;
  /** The connector's default; null when unmapped by default. */
  defaultName: string | null;
  /** Whether the API accepts "not mapped" (null) for it. */
  nullable: boolean;
  /**
   * false for a value that is more than one field's name (a renewal date read from contracts):
   * shown as it is, changed through PATCH /api/connections/{id}.
   */
  choosable: boolean;
  /** The value as it reads (for a mapping that is not choosable). */
  shown: string;
  /** The value and the default as the settings hold them (names, or an object). */
  value: unknown;
  defaultValue: unknown;
}

/** One field nps-bridge writes (a key of settings.npsFields). */
export interface WriteMapping {
  field: NpsField;
  object: CrmObject;
  label: string;
  type: CrmFieldSpec['type'];
  description: string;
  /** The API name it writes now. */
  current: string;
  /** The connector's default name, which the setup creates when it is missing. */
  defaultName: string;
}

export interface FieldMappingModel {
  reads: ReadMapping[];
  writes: WriteMapping[];
}

/** The CRM field types a written value fits into. */
const WRITE_TYPES: Readonly<Record<CrmFieldSpec['type'], readonly CrmFieldType[]>> = {
  number: ['number'],
  text: ['text'],
  textarea: ['text'],
  date: ['date'],
  picklist: ['picklist', 'text'],
};

const isName = (value: unknown): value is string | null => value === null || typeof value === 'string';

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'not mapped';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
}

function crmFactory(kind: string) {
  const factory = crmConnectorFactory(kind);
  if (!factory) throw new BadRequestException([`id: a ${kind} connection is not a CRM; it has no fields to map`]);
  return factory;
}

function acceptsNull(kind: string, key: string): boolean {
  try {
    validateSettings(crmFactory(kind), { fieldMapping: { [key]: null } });
    return true;
  } catch {
    return false;
  }
}

/** The mapping of a CRM connection whose settings (defaults filled in, as ConnectionDto has them) are `settings`. */
export function fieldMappingOf(kind: string, settings: Record<string, unknown>): FieldMappingModel {
  const factory = crmFactory(kind);
  const defaults = ((factory.withDefaults(undefined) as Record<string, unknown>).fieldMapping ?? {}) as Record<string, unknown>;
  const mapped = (settings.fieldMapping ?? {}) as Record<string, unknown>;
  const reads = Object.entries(defaults).map(([key, fallback]) => {
    const current = key in mapped ? mapped[key] : fallback;
    const choosable = isName(fallback) && isName(current);
    return {
      key,
      current: isName(current) ? current : null,
      defaultName: isName(fallback) ? fallback : null,
      nullable: choosable && acceptsNull(kind, key),
      choosable,
      shown: describeValue(current),
      value: current,
      defaultValue: fallback,
    };
  });
  const renamed = (settings.npsFields ?? {}) as Partial<Record<NpsField, string>>;
  const writes = [...NPS_ACCOUNT_FIELDS.map((f) => ({ f, object: 'account' as const })), ...NPS_CONTACT_FIELDS.map((f) => ({ f, object: 'contact' as const }))].map(
    ({ f, object }): WriteMapping => {
      const shape = NPS_FIELD_SHAPES[f];
      return {
        field: f,
        object,
        label: shape.label,
        type: shape.type,
        description: shape.description,
        current: renamed[f] ?? factory.npsFieldNames[f],
        defaultName: factory.npsFieldNames[f],
      };
    },
  );
  return { reads, writes };
}

/** The CRM's fields a read mapping may choose: any field with a value (not a compound one). */
export function readOptions(fields: CrmFieldInfo[]): CrmFieldInfo[] {
  return fields.filter((f) => f.type !== 'other');
}

/** The CRM's fields a written NPS field may go to: those of a type its values fit. */
export function writeOptions(write: WriteMapping, fields: CrmFieldInfo[]): CrmFieldInfo[] {
  return fields.filter((f) => WRITE_TYPES[write.type].includes(f.type));
}

/** What the admin chose: a field's API name per read key ('' = not mapped) and per written NPS field. */
export interface MappingChoices {
  reads: Record<string, string>;
  writes: Partial<Record<NpsField, string>>;
}

/**
 * The settings to send to ConnectionsService.update for `choices`: only what differs from the
 * connector's defaults is kept (a choice back to the default removes the override), and values
 * the page did not offer stay as they are.
 */
export function mappingSettings(model: FieldMappingModel, choices: MappingChoices): Record<string, unknown> {
  const fieldMapping: Record<string, unknown> = {};
  for (const read of model.reads) {
    if (!read.choosable) {
      if (JSON.stringify(read.value) !== JSON.stringify(read.defaultValue)) fieldMapping[read.key] = read.value;
      continue;
    }
    const chosen = read.key in choices.reads ? choices.reads[read.key] || null : read.current;
    if (chosen !== read.defaultName) fieldMapping[read.key] = chosen;
  }
  const npsFields: Record<string, string> = {};
  for (const write of model.writes) {
    const chosen = choices.writes[write.field] ?? write.current;
    if (chosen !== write.defaultName) npsFields[write.field] = chosen;
  }
  return { fieldMapping, npsFields };
}
