import { CrmArrPoint } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { FieldReader, SalesforceRecord } from './salesforce-values';

export const ACCOUNT_HISTORY_FIELDS = ['Id', 'AccountId', 'Field', 'OldValue', 'NewValue', 'CreatedDate'] as const;

/**
 * One account's ARR points from its AccountHistory rows (any order): every change of the ARR
 * field gives the value it set from CreatedDate on; when the account also has its 'created'
 * row, the first change's OldValue is what ARR held from creation until then. Without any ARR
 * change the rows say nothing about ARR (tracking may have been off), so no point.
 */
export function mapArrHistory(accountId: string, rows: SalesforceRecord[], arrField: string): CrmArrPoint[] {
  const read = rows.map((row) => {
    const history = new FieldReader(salesforceDescriptor.accountHistoryObject, row);
    return { history, field: history.requiredString('Field'), at: history.instant('CreatedDate') };
  });
  const changes = read.filter((r) => r.field.toLowerCase() === arrField.toLowerCase()).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  if (changes.length === 0) return [];
  const points: CrmArrPoint[] = [];
  const created = read.find((r) => r.field === salesforceDescriptor.historyCreatedField);
  if (created && created.at < changes[0].at) {
    points.push({ accountExternalId: accountId, at: created.at, arr: changes[0].history.optionalDecimal('OldValue', 2) });
  }
  for (const change of changes) points.push({ accountExternalId: accountId, at: change.at, arr: change.history.optionalDecimal('NewValue', 2) });
  return points;
}

/**
 * Groups history rows that arrive ordered by AccountId (over any number of pages) into each
 * account's points: an account's points are given once its last row has been seen.
 */
export class ArrHistoryGroups {
  private accountId: string | null = null;
  private rows: SalesforceRecord[] = [];

  constructor(private readonly arrField: string) {}

  /** Adds one page of rows; returns the points of the accounts it completed. */
  add(page: SalesforceRecord[]): CrmArrPoint[] {
    const done: CrmArrPoint[] = [];
    for (const row of page) {
      const accountId = new FieldReader(salesforceDescriptor.accountHistoryObject, row).salesforceId('AccountId');
      if (accountId !== this.accountId) done.push(...this.flush());
      this.accountId = accountId;
      this.rows.push(row);
    }
    return done;
  }

  /** The points of the account still open (call after the last page). */
  flush(): CrmArrPoint[] {
    const points = this.accountId === null ? [] : mapArrHistory(this.accountId, this.rows, this.arrField);
    this.accountId = null;
    this.rows = [];
    return points;
  }
}
