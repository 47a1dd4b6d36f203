import { NPS_ACCOUNT_FIELDS, NPS_CONTACT_FIELDS, NPS_FIELD_SHAPES } from '@connectors/core/src';
import { hubspotDescriptor } from '@connectors/hubspot/descriptor';
import { propertyCreate } from '@connectors/hubspot/src/property-shapes';
import { SandboxPortal } from './sandbox-data';
import { SandboxObjectType } from './sandbox-objects';
import { SandboxProperties } from './sandbox-properties';
import { SandboxSchema } from './sandbox-schema';

/**
 * What ensureFields would create (the nps_bridge group and the rules §8 properties under their
 * default names, with the connector's own definitions), for portals that start set up.
 */
export function defineNpsFields(schema: SandboxSchema, properties: SandboxProperties): void {
  const { name, label } = hubspotDescriptor.npsPropertyGroup;
  for (const type of ['companies', 'contacts'] as const) schema.addGroup(type, { name, label, displayOrder: -1 });
  const fields = [...NPS_ACCOUNT_FIELDS.map((field) => ['account', field] as const), ...NPS_CONTACT_FIELDS.map((field) => ['contact', field] as const)];
  fields.forEach(([object, field], i) => {
    const spec = { object, name: hubspotDescriptor.npsFieldNames[field], ...NPS_FIELD_SHAPES[field] };
    const answer = properties.create(object === 'account' ? 'companies' : 'contacts', propertyCreate(spec, i));
    if (answer.status !== 201) throw new Error(`sandbox: defining ${spec.name} failed: ${JSON.stringify(answer.body)}`);
  });
}

/** Records of a type holding a value in some property of the nps_bridge group. */
export function holdingNpsValues(portal: SandboxPortal, schema: SandboxSchema, type: SandboxObjectType): number {
  const group = hubspotDescriptor.npsPropertyGroup.name;
  const ours = new Set(schema.properties(type).filter((p) => p.groupName === group).map((p) => p.name));
  return [...portal.custom[type].values()].filter((values) => Object.keys(values).some((name) => ours.has(name))).length;
}
