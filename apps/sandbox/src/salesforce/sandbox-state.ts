import { SalesforceSandbox } from './salesforce-sandbox';
import { SalesforceSandboxOptions } from './sandbox-contract';
import { FieldSchema } from './sandbox-schema';
import { Row } from './sandbox-store';

/** Bump when the shape below or the meaning of a stored row changes: an older file is then not read. */
export const SALESFORCE_STATE_VERSION = 1;

/**
 * The org as it stands: every row of every object (deleted ones too, since queryAll reads them)
 * and the custom fields with the integration user's access, so fields created by setup, NPS
 * values written back and tasks created for CSMs are still there after a restart.
 */
export interface SalesforceSandboxState {
  customFields: Array<{ object: string; field: FieldSchema }>;
  rows: Record<string, Row[]>;
  /** Refresh tokens of the web server flow that still work (absent in files written before it). */
  refreshTokens?: string[];
}

export function salesforceSandboxState(sandbox: SalesforceSandbox): SalesforceSandboxState {
  const customFields: SalesforceSandboxState['customFields'] = [];
  const rows: Record<string, Row[]> = {};
  for (const schema of sandbox.store.schema.values()) {
    for (const field of schema.fields) if (field.custom) customFields.push({ object: schema.name, field });
    const table = sandbox.store.rows(schema.name);
    if (table.length) rows[schema.name] = table;
  }
  return { customFields, rows, refreshTokens: sandbox.webServer.issuedRefreshTokens() };
}

/**
 * A sandbox holding the saved org instead of a generated one. Fields the code's schema has
 * since gained stay (with the saved access for those both know); objects the code no longer
 * has are dropped.
 */
export function restoreSalesforceSandbox(state: SalesforceSandboxState, options: SalesforceSandboxOptions): SalesforceSandbox {
  const sandbox = new SalesforceSandbox({ ...options, accounts: 0, owners: 0, contactsPerAccount: 0, npsFields: false });
  const { store } = sandbox;
  for (const { object, field } of state.customFields) {
    const schema = store.objectSchema(object);
    if (!schema) continue;
    const known = schema.fields.find((f) => f.name === field.name);
    if (known) known.access = field.access;
    else schema.fields.push(field);
  }
  for (const [object, rows] of Object.entries(state.rows)) {
    if (!store.objectSchema(object)) continue;
    for (const row of rows) store.insert(object, row);
  }
  sandbox.webServer.restoreRefreshTokens(state.refreshTokens ?? []);
  return sandbox;
}
