/**
 * What a mapper makes of one Salesforce row: the record to upsert, or null when the row says the
 * record is gone (IsDeleted from queryAll, an inactive AccountContactRelation). `modifiedAt`
 * feeds the stream cursor either way.
 */
export interface MappedRow<T> {
  externalId: string;
  modifiedAt: string;
  record: T | null;
}
