import { crmConnectorFactory } from '@connectors/core/registry';
import { CrmFieldSpec, CrmFieldValue, NPS_ACCOUNT_FIELDS, NPS_CONTACT_FIELDS, NPS_FIELD_SHAPES, NpsAccountField, NpsContactField } from '@connectors/core/src';
import { displayNps, displayNpsGap, type AccountHealth } from '@libs/nps/src';

export type NpsFieldNames = Readonly<Record<NpsAccountField | NpsContactField, string>>;

/**
 * The API names a connection writes: the vendor's defaults, renamed by settings.npsFields;
 * null when no installed CRM connector has this kind (nothing can be written there).
 */
export function npsFieldNames(kind: string, settings: Record<string, unknown> | null | undefined): NpsFieldNames | null {
  const factory = crmConnectorFactory(kind);
  if (!factory) return null;
  const overrides = (settings?.npsFields ?? {}) as Partial<Record<NpsAccountField | NpsContactField, string>>;
  return { ...factory.npsFieldNames, ...overrides };
}

/** The fields the setup command makes sure exist, with their vendor names. */
export function npsFieldSpecs(names: NpsFieldNames): CrmFieldSpec[] {
  return [
    ...NPS_ACCOUNT_FIELDS.map((f) => ({ object: 'account' as const, name: names[f], ...NPS_FIELD_SHAPES[f] })),
    ...NPS_CONTACT_FIELDS.map((f) => ({ object: 'contact' as const, name: names[f], ...NPS_FIELD_SHAPES[f] })),
  ];
}

/**
 * rules §8 account fields from rules §7 health and the responses counted. NPS values are whole points on
 * CRM records, each rounded once, half away from zero, from the exact fraction of its counts
 * (rules §1: −12.5 is written −13, a role gap of 37.5 is 38); the exact values stay in our reports.
 */
export function accountFieldValues(health: AccountHealth, responses12m: number, lastResponseDate: string | null): Record<NpsAccountField, CrmFieldValue> {
  return {
    relationalNps: displayNps(health.nps.overall),
    decisionMakerNps: displayNps(health.nps.byRole.decision_maker),
    endUserNps: displayNps(health.nps.byRole.end_user),
    roleGap: displayNpsGap(health.nps.byRole.decision_maker, health.nps.byRole.end_user),
    responses12m,
    lastResponseDate,
    sentiment: health.sentiment?.category ?? null,
    healthQuadrant: health.quadrant,
  };
}

export interface LatestResponse {
  score: number;
  category: string;
  date: string;
  comment: string | null;
}

/** rules §8 contact fields: relational and transactional kept apart. */
export function contactFieldValues(relational: LatestResponse | null, transactional: LatestResponse | null): Record<NpsContactField, CrmFieldValue> {
  return {
    lastRelationalScore: relational?.score ?? null,
    lastRelationalCategory: relational?.category ?? null,
    lastRelationalDate: relational?.date ?? null,
    lastRelationalComment: relational?.comment ?? null,
    lastTransactionalScore: transactional?.score ?? null,
    lastTransactionalCategory: transactional?.category ?? null,
    lastTransactionalDate: transactional?.date ?? null,
    lastTransactionalComment: transactional?.comment ?? null,
  };
}

/**
 * The values to write, by API name: those that differ from what was last queued for the record.
 * A record we never wrote gets only its non-empty values (nothing to clear on it yet).
 */
export function changedFields<F extends string>(
  values: Record<F, CrmFieldValue>,
  names: Readonly<Record<F, string>>,
  lastQueued: Record<string, unknown>,
): Record<string, CrmFieldValue> {
  const changed: Record<string, CrmFieldValue> = {};
  for (const [field, value] of Object.entries(values) as Array<[F, CrmFieldValue]>) {
    const name = names[field];
    const known = Object.prototype.hasOwnProperty.call(lastQueued, name);
    if (known ? lastQueued[name] !== value : value !== null) changed[name] = value;
  }
  return changed;
}
