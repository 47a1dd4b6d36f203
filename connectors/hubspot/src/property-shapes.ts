import { CrmFieldSpec } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';

/** Our field types as HubSpot property type / fieldType (README "Custom properties"). */
const SHAPES: Record<CrmFieldSpec['type'], { type: string; fieldType: string }> = {
  number: { type: 'number', fieldType: 'number' },
  date: { type: 'date', fieldType: 'date' },
  text: { type: 'string', fieldType: 'text' },
  textarea: { type: 'string', fieldType: 'textarea' },
  picklist: { type: 'enumeration', fieldType: 'select' },
};

/** 'churn_risk' → 'Churn risk': how an option reads in HubSpot's dropdown. */
const optionLabel = (value: string) => value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');

/** The PropertyCreate HubSpot gets for one of our fields, in the nps_bridge group. */
export function propertyCreate(spec: CrmFieldSpec, displayOrder: number) {
  return {
    name: spec.name,
    label: spec.label,
    description: spec.description,
    groupName: hubspotDescriptor.npsPropertyGroup.name,
    ...SHAPES[spec.type],
    displayOrder,
    formField: false,
    hasUniqueValue: false,
    ...(spec.type === 'picklist' ? { options: (spec.options ?? []).map((value, i) => ({ label: optionLabel(value), value, displayOrder: i, hidden: false })) } : {}),
  };
}

/** Which HubSpot property types take what we write for each of our types. */
const WRITABLE: Record<CrmFieldSpec['type'], string[]> = {
  number: ['number', 'string'],
  date: ['date', 'datetime'],
  text: ['string'],
  textarea: ['string'],
  picklist: ['enumeration', 'string'],
};

/**
 * Why an existing property cannot take our values (an admin created it with another type, or a
 * dropdown without some of our options); undefined when it can.
 */
export function propertyMismatch(spec: CrmFieldSpec, property: { type: string; fieldType: string; options?: Array<{ value: string }> }): string | undefined {
  if (!WRITABLE[spec.type].includes(property.type)) {
    return `HubSpot property "${spec.name}" exists as ${property.type}/${property.fieldType}; nps-bridge writes ${spec.type} values (needs ${WRITABLE[spec.type].join(' or ')})`;
  }
  if (spec.type === 'picklist' && property.type === 'enumeration') {
    const values = new Set((property.options ?? []).map((option) => option.value));
    const lacking = (spec.options ?? []).filter((option) => !values.has(option));
    if (lacking.length > 0) return `HubSpot property "${spec.name}" lacks the options ${lacking.join(', ')}`;
  }
  return undefined;
}
