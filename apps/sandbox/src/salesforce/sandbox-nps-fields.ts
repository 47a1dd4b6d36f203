import { SEEDED_NPS_FIELDS, SeededNpsKey } from '../kit/nps-fields-seed';
import { customFieldSchema, FieldSchema } from './sandbox-schema';

/**
 * The API names the NPS fields have in an org set up before the sandbox starts (option
 * npsFields): custom fields, so each ends in __c (connectors/salesforce/README "Custom naming").
 * The sandbox's own seed data; the record pages and writebackCounts look for values in these.
 */
export const SEEDED_NPS_FIELD_NAMES: Readonly<Record<SeededNpsKey, string>> = {
  relationalNps: 'NPS_Relational__c',
  decisionMakerNps: 'NPS_Decision_Maker__c',
  endUserNps: 'NPS_End_User__c',
  roleGap: 'NPS_Role_Gap__c',
  responses12m: 'NPS_Responses_12m__c',
  lastResponseDate: 'NPS_Last_Response_Date__c',
  sentiment: 'NPS_Sentiment__c',
  healthQuadrant: 'NPS_Health_Quadrant__c',
  lastRelationalScore: 'NPS_Last_Score__c',
  lastRelationalCategory: 'NPS_Last_Category__c',
  lastRelationalDate: 'NPS_Last_Response_Date__c',
  lastRelationalComment: 'NPS_Last_Comment__c',
  lastTransactionalScore: 'Support_NPS_Last_Score__c',
  lastTransactionalCategory: 'Support_NPS_Last_Category__c',
  lastTransactionalDate: 'Support_NPS_Last_Date__c',
  lastTransactionalComment: 'Support_NPS_Last_Comment__c',
};

/** The seeded NPS fields as describe shows them on Account and Contact. */
export function seededNpsFields(): { object: 'Account' | 'Contact'; field: FieldSchema }[] {
  return SEEDED_NPS_FIELDS.map((spec) => ({
    object: spec.object === 'account' ? 'Account' : 'Contact',
    field: customFieldSchema(SEEDED_NPS_FIELD_NAMES[spec.key], spec),
  }));
}
