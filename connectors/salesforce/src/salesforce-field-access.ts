import { VendorError } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { CollectionWriter } from './salesforce-collections';
import { QueryResponse, SalesforceClient } from './salesforce-client';

/** A custom field by object and API name (Account, NPS_Relational__c). */
export interface FieldRef {
  object: string;
  name: string;
}

interface CreateResult {
  id?: string;
  success?: boolean;
}

const { permissionSet } = salesforceDescriptor;
const fullName = (field: FieldRef) => `${field.object}.${field.name}`;
/** SOQL string literal: the ids we put there come from Salesforce, the quotes are escaped anyway. */
const literal = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A refusal of our request (400, 403, 404: missing permission, feature off) as opposed to an outage. */
export function isRefusal(error: unknown): error is VendorError {
  return error instanceof VendorError && (error.kind === 'invalid' || error.kind === 'not_found');
}

/**
 * Field-level security for the fields nps-bridge created: a field made through the API is
 * visible to no profile, so describe, SOQL and writes would not see it. We grant read + edit in
 * our own permission set (NPS_Bridge: found by Name, else created), one FieldPermissions row per
 * field, and assign the set to the signed-in user (the id in the token response's identity URL,
 * present for JWT and client credentials alike). Setup objects cannot share a collections
 * request with other types, so each step is its own request.
 */
export class FieldAccessGrant {
  private readonly collections: CollectionWriter;

  constructor(private readonly client: SalesforceClient) {
    this.collections = new CollectionWriter(client);
  }

  /**
   * Grants access; returns why, per "Object.Field", access could not be granted (empty when all
   * were). Refusals are returned, outages and a refused session are thrown.
   */
  async grant(fields: FieldRef[], signal?: AbortSignal): Promise<Map<string, string>> {
    const refusedAll = (reason: string) => new Map(fields.map((f) => [fullName(f), reason]));
    if (fields.length === 0) return new Map();
    const userId = this.client.userId();
    if (!userId) return refusedAll('the session did not name its user (no identity URL in the token response)');
    try {
      const { id: setId, existed } = await this.permissionSet(signal);
      const refused = await this.fieldPermissions(setId, existed, fields, signal);
      await this.assign(setId, existed, userId, signal);
      return refused;
    } catch (error) {
      if (isRefusal(error)) return refusedAll(`read/edit access could not be granted: ${error.message}`);
      throw error;
    }
  }

  private async permissionSet(signal?: AbortSignal): Promise<{ id: string; existed: boolean }> {
    const [found] = await this.query<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE Name = ${literal(permissionSet.name)}`, signal);
    if (found) return { id: found.Id, existed: true };
    const body = { Name: permissionSet.name, Label: permissionSet.label, Description: permissionSet.description };
    const created = await this.client.write<CreateResult>('POST', '/sobjects/PermissionSet', body, signal, { replayable: false });
    if (!created.id) throw new VendorError('salesforce', 'invalid', 'PermissionSet create answered no id', { code: 'BAD_CREATE_RESPONSE' });
    return { id: created.id, existed: false };
  }

  /** Creates the missing FieldPermissions rows and completes those lacking read or edit. */
  private async fieldPermissions(setId: string, existed: boolean, fields: FieldRef[], signal?: AbortSignal): Promise<Map<string, string>> {
    type Row = { Id: string; Field: string; PermissionsRead: boolean; PermissionsEdit: boolean };
    const rows = existed ? await this.query<Row>(`SELECT Id, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = ${literal(setId)}`, signal) : [];
    const byField = new Map(rows.map((r) => [r.Field.toLowerCase(), r]));
    const toCreate = fields.filter((f) => !byField.has(fullName(f).toLowerCase()));
    const toUpdate = fields.filter((f) => {
      const row = byField.get(fullName(f).toLowerCase());
      return row !== undefined && !(row.PermissionsRead && row.PermissionsEdit);
    });
    const grant = { PermissionsRead: true, PermissionsEdit: true };
    const created = await this.collections.send(
      'POST',
      toCreate.map((f) => ({ key: fullName(f), record: { attributes: { type: 'FieldPermissions' }, ParentId: setId, SobjectType: f.object, Field: fullName(f), ...grant } })),
      signal,
    );
    const updated = await this.collections.send(
      'PATCH',
      toUpdate.map((f) => ({ key: fullName(f), record: { attributes: { type: 'FieldPermissions' }, ...grant, Id: byField.get(fullName(f).toLowerCase())!.Id } })),
      signal,
    );
    const refused = new Map<string, string>();
    for (const { key, error } of [...created, ...updated]) {
      // A row another run created meanwhile grants the same.
      if (!error || error.code === 'DUPLICATE_VALUE') continue;
      // An outage or a lost answer is for the next run of the setup command, not for the admin.
      if (!error.permanent) throw new VendorError('salesforce', 'unavailable', error.message, { code: error.code });
      refused.set(key, `read/edit access could not be granted: ${error.message}`);
    }
    return refused;
  }

  private async assign(setId: string, existed: boolean, userId: string, signal?: AbortSignal): Promise<void> {
    if (existed) {
      const soql = `SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = ${literal(setId)} AND AssigneeId = ${literal(userId)}`;
      if ((await this.query<{ Id: string }>(soql, signal)).length > 0) return;
    }
    try {
      await this.client.write<CreateResult>('POST', '/sobjects/PermissionSetAssignment', { PermissionSetId: setId, AssigneeId: userId }, signal, { replayable: false });
    } catch (error) {
      if (!(isRefusal(error) && error.details.code === 'DUPLICATE_VALUE')) throw error;
    }
  }

  /** One page is all these lookups can return (one set, ≤ a few hundred fields). */
  private async query<R>(soql: string, signal?: AbortSignal): Promise<R[]> {
    return (await this.client.get<QueryResponse<R>>(`/query?q=${encodeURIComponent(soql)}`, signal)).records;
  }
}
