import { fail, Failure } from './sandbox-field-values';
import { FieldSchema } from './sandbox-schema';
import { Row, SandboxStore } from './sandbox-store';
import { SetupRules } from './sandbox-writes';

type Input = Record<string, unknown>;

/** Who may change the org's metadata: custom fields (Tooling) and permission sets. */
export interface MetadataAccess {
  fields: boolean;
  permissions: boolean;
}

/** Salesforce's words for a user without the setup permission an operation needs. */
export const NO_ACCESS_MESSAGE =
  'You do not have the level of access necessary to perform the operation you requested. Please contact the owner of the record or your administrator if access is necessary.';
const DUPLICATE = 'duplicate value found: <unknown> duplicates value on record with id: <unknown>';
const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;
const lower = (value: unknown) => String(value ?? '').toLowerCase();

/**
 * The org's setup rules for the integration user: whether it may create custom fields and
 * permission sets, the checks Salesforce applies to PermissionSet, FieldPermissions and
 * PermissionSetAssignment rows, and field-level security on the fields created through the
 * Tooling API: hidden until a FieldPermissions row in a permission set assigned to the user
 * grants read (and edit).
 */
export class OrgSetup implements SetupRules {
  readonly knownIds: ReadonlySet<string>;
  private readonly secured: { object: string; field: FieldSchema }[] = [];

  constructor(
    private readonly store: SandboxStore,
    private readonly userId: string,
    private access: MetadataAccess,
  ) {
    this.knownIds = new Set([userId]);
  }

  get metadataAccess(): MetadataAccess {
    return { ...this.access };
  }

  setAccess(access: MetadataAccess): void {
    this.access = { ...access };
  }

  /** A field created through the API: no one sees it until field-level security grants it. */
  secure(object: string, field: FieldSchema): void {
    this.secured.push({ object, field });
    this.changed();
  }

  check(type: string, row: Input, existing: Row | undefined): Failure | undefined {
    if (!['PermissionSet', 'FieldPermissions', 'PermissionSetAssignment'].includes(type)) return undefined;
    if (!this.access.permissions) return fail('INSUFFICIENT_ACCESS_OR_READONLY', NO_ACCESS_MESSAGE);
    const others = (object: string) => this.store.rows(object).filter((r) => r !== existing);
    const merged = { ...existing, ...row };
    switch (type) {
      case 'PermissionSet':
        if (!API_NAME.test(String(merged.Name)) || String(merged.Name).endsWith('_')) {
          return fail(
            'FIELD_INTEGRITY_EXCEPTION',
            'Name: The API name can only contain underscores and alphanumeric characters, must begin with a letter, and must not end with an underscore or contain two consecutive underscores.',
            ['Name'],
          );
        }
        if (others('PermissionSet').some((r) => lower(r.Name) === lower(merged.Name))) return fail('DUPLICATE_VALUE', DUPLICATE, ['Name']);
        return undefined;
      case 'FieldPermissions':
        return this.checkFieldPermissions(merged, others('FieldPermissions'));
      default:
        if (others('PermissionSetAssignment').some((r) => r.PermissionSetId === merged.PermissionSetId && r.AssigneeId === merged.AssigneeId)) {
          return fail('DUPLICATE_VALUE', DUPLICATE);
        }
        return undefined;
    }
  }

  /** Recomputes the secured fields' access from the user's assigned permission sets. */
  changed(): void {
    const sets = new Set(
      this.store
        .rows('PermissionSetAssignment')
        .filter((a) => a.AssigneeId === this.userId)
        .map((a) => a.PermissionSetId),
    );
    const granted = new Map<string, 'read' | 'edit'>();
    for (const p of this.store.rows('FieldPermissions')) {
      if (!sets.has(p.ParentId) || p.PermissionsRead !== true) continue;
      const key = lower(p.Field);
      if (p.PermissionsEdit === true) granted.set(key, 'edit');
      else if (!granted.has(key)) granted.set(key, 'read');
    }
    for (const { object, field } of this.secured) field.access = granted.get(lower(`${object}.${field.name}`)) ?? 'none';
  }

  private checkFieldPermissions(row: Input, others: Row[]): Failure | undefined {
    const [object, name, extra] = String(row.Field).split('.');
    const schema = this.store.objectSchema(String(row.SobjectType));
    const field = schema && lower(object) === lower(schema.name) && extra === undefined ? schema.fields.find((f) => lower(f.name) === lower(name)) : undefined;
    if (!field || !field.custom) return fail('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Field Name: bad value for restricted picklist field: ${String(row.Field)}`, ['Field']);
    if (row.PermissionsEdit === true && row.PermissionsRead !== true) {
      return fail('FIELD_INTEGRITY_EXCEPTION', 'Permission Edit depends on permission(s): Read', ['PermissionsEdit']);
    }
    if (others.some((r) => r.ParentId === row.ParentId && lower(r.Field) === lower(row.Field))) return fail('DUPLICATE_VALUE', DUPLICATE);
    return undefined;
  }
}
