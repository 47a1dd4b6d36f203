import { SEEDED_NPS_FIELDS, SeededFieldKind, SeededNpsKey } from '../kit/nps-fields-seed';
import { SandboxPortal } from './sandbox-data';
import { SandboxObjectType } from './sandbox-objects';
import { SandboxProperties } from './sandbox-properties';
import { SandboxSchema } from './sandbox-schema';

/**
 * The property group the NPS properties live in, as a set-up portal has it: HubSpot recommends a
 * group of its own for an integration's properties (connectors/hubspot/README "Custom properties").
 */
export const NPS_PROPERTY_GROUP = { name: 'nps_bridge', label: 'NPS Bridge' } as const;

/** Internal names of the NPS properties in a portal set up before the sandbox starts (option npsFields). */
export const SEEDED_NPS_PROPERTY_NAMES: Readonly<Record<SeededNpsKey, string>> = {
  relationalNps: 'nps_relational',
  decisionMakerNps: 'nps_decision_maker',
  endUserNps: 'nps_end_user',
  roleGap: 'nps_role_gap',
  responses12m: 'nps_responses_12m',
  lastResponseDate: 'nps_last_response_date',
  sentiment: 'nps_sentiment',
  healthQuadrant: 'nps_health_quadrant',
  lastRelationalScore: 'nps_last_score',
  lastRelationalCategory: 'nps_last_category',
  lastRelationalDate: 'nps_last_response_date',
  lastRelationalComment: 'nps_last_comment',
  lastTransactionalScore: 'support_nps_last_score',
  lastTransactionalCategory: 'support_nps_last_category',
  lastTransactionalDate: 'support_nps_last_date',
  lastTransactionalComment: 'support_nps_last_comment',
};

/** HubSpot's property type and fieldType for each kind (connectors/hubspot/README "Custom properties"). */
const HUBSPOT_TYPES: Record<SeededFieldKind, { type: string; fieldType: string }> = {
  number: { type: 'number', fieldType: 'number' },
  date: { type: 'date', fieldType: 'date' },
  textarea: { type: 'string', fieldType: 'textarea' },
  picklist: { type: 'enumeration', fieldType: 'select' },
};

/** 'churn_risk' → 'Churn risk': a dropdown option's label. */
const optionLabel = (value: string) => value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');

/**
 * Defines the group and the seeded NPS properties through the portal's own properties API (so
 * they pass HubSpot's validation like any definition), for portals that start set up.
 */
export function defineNpsFields(schema: SandboxSchema, properties: SandboxProperties): void {
  for (const type of ['companies', 'contacts'] as const) schema.addGroup(type, { ...NPS_PROPERTY_GROUP, displayOrder: -1 });
  SEEDED_NPS_FIELDS.forEach((field, displayOrder) => {
    const name = SEEDED_NPS_PROPERTY_NAMES[field.key];
    const options = 'options' in field ? field.options.map((value, i) => ({ label: optionLabel(value), value, displayOrder: i, hidden: false })) : undefined;
    const answer = properties.create(field.object === 'account' ? 'companies' : 'contacts', {
      name,
      label: field.label,
      description: field.description,
      groupName: NPS_PROPERTY_GROUP.name,
      ...HUBSPOT_TYPES[field.kind],
      displayOrder,
      formField: false,
      hasUniqueValue: false,
      ...(options ? { options } : {}),
    });
    if (answer.status !== 201) throw new Error(`sandbox: defining ${name} failed: ${JSON.stringify(answer.body)}`);
  });
}

/** Records of a type holding a value in some property of the nps_bridge group. */
export function holdingNpsValues(portal: SandboxPortal, schema: SandboxSchema, type: SandboxObjectType): number {
  const group = NPS_PROPERTY_GROUP.name;
  const ours = new Set(
    schema
      .properties(type)
      .filter((p) => p.groupName === group)
      .map((p) => p.name),
  );
  return [...portal.custom[type].values()].filter((values) => Object.keys(values).some((name) => ours.has(name))).length;
}
