import { BadRequestException } from '@nestjs/common';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { CrmConnectorFactory, HelpdeskConnectorFactory, NPS_ACCOUNT_FIELDS, NPS_CONTACT_FIELDS } from '@connectors/core/src';
import { crmConnectorFactory, CRM_CONNECTORS, helpdeskConnectorFactory, HELPDESK_CONNECTORS } from '@connectors/core/registry';

function messages(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((e) => {
    const path = `${prefix}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
    return [...own, ...messages(e.children ?? [], path)];
  });
}

/** Validates a vendor-specific object with the connector's own DTO class; errors name the field path. */
export function validateConnectorInput<T extends object>(cls: new () => T, value: unknown, prefix: string, partial = false): T {
  const instance = plainToInstance(cls, value ?? {});
  // Settings may be partial (defaults fill the rest); credentials may not. A null is still
  // judged: only a setting that may be unset (unmapped) accepts it.
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, skipUndefinedProperties: partial });
  if (errors.length) throw new BadRequestException(messages(errors, prefix));
  return instance;
}

/** The CRM or helpdesk connector registered for `kind`, or a 400 naming the kinds there are. */
export function factoryFor(kind: string): CrmConnectorFactory | HelpdeskConnectorFactory {
  const factory = crmConnectorFactory(kind) ?? helpdeskConnectorFactory(kind);
  if (!factory) {
    const kinds = [...Object.keys(CRM_CONNECTORS), ...Object.keys(HELPDESK_CONNECTORS)];
    throw new BadRequestException([`kind: must be one of ${kinds.join(', ') || '(none installed)'}, got "${kind}"`]);
  }
  return factory;
}

const ROLES = ['decision_maker', 'admin', 'end_user', 'other'];

/**
 * Settings every CRM connection has whatever the vendor: the role mapping (CRM role label →
 * decision_maker/admin/end_user/other, on top of the program's defaults) and the share of the
 * daily API allocation a sync may use before it pauses, and the API names of the NPS fields
 * written back (rules §8), renaming the vendor's defaults.
 */
const COMMON_CRM_SETTINGS = ['roleMapping', 'dailyBudgetShare', 'npsFields'] as const;

const NPS_FIELDS: readonly string[] = [...NPS_ACCOUNT_FIELDS, ...NPS_CONTACT_FIELDS];

function npsFieldErrors(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ["settings.npsFields: must be an object of NPS field → the CRM field's API name"];
  return Object.entries(value).flatMap(([field, name]) => {
    if (!NPS_FIELDS.includes(field)) return [`settings.npsFields.${field}: is not an NPS field (one of ${NPS_FIELDS.join(', ')})`];
    return typeof name === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(name) ? [] : [`settings.npsFields.${field}: must be a field API name (letters, digits, _)`];
  });
}

export function commonCrmSettings(settings: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(COMMON_CRM_SETTINGS.filter((k) => settings?.[k] !== undefined).map((k) => [k, settings![k]]));
}

/** Validates a connection's settings: the common CRM part here, the rest with the vendor's DTO. */
export function validateSettings(factory: CrmConnectorFactory | HelpdeskConnectorFactory, raw: unknown): Record<string, unknown> {
  if (factory.role !== 'crm') return instanceToPlain(validateConnectorInput(factory.settingsClass, raw, 'settings', true));
  const input = (raw ?? {}) as Record<string, unknown>;
  const vendorOwns = new Set(Object.keys(factory.withDefaults(undefined) as object));
  const common = Object.fromEntries(Object.entries(commonCrmSettings(input)).filter(([k]) => !vendorOwns.has(k)));
  const errors: string[] = [];
  if (common.roleMapping !== undefined) {
    const mapping = common.roleMapping;
    if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) errors.push('settings.roleMapping: must be an object of CRM role label → role');
    else {
      for (const [label, role] of Object.entries(mapping)) {
        if (!ROLES.includes(role as string)) errors.push(`settings.roleMapping.${label}: must be one of ${ROLES.join(', ')}`);
      }
    }
  }
  if (common.dailyBudgetShare !== undefined) {
    const share = common.dailyBudgetShare;
    if (typeof share !== 'number' || !(share > 0 && share <= 1)) errors.push('settings.dailyBudgetShare: must be a number above 0 and at most 1');
  }
  if (common.npsFields !== undefined) errors.push(...npsFieldErrors(common.npsFields));
  if (errors.length) throw new BadRequestException(errors);
  const vendorInput = Object.fromEntries(Object.entries(input).filter(([k]) => !(k in common)));
  return { ...instanceToPlain(validateConnectorInput(factory.settingsClass, vendorInput, 'settings', true)), ...common };
}
