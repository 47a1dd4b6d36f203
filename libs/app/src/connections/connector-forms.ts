import type { SchemaObject } from '@nestjs/swagger';
import { CRM_CONNECTORS, HELPDESK_CONNECTORS } from '@connectors/core/registry';
import { classSchema, classVariants } from '../docs/validation-schema';
import { factoryFor } from './connector-input';

/**
 * What the console's connect pages ask for, read from the same connector classes that validate
 * POST /api/connections and POST /api/oauth/authorizations: a connector added to the registry
 * gets its pages without a line here, and the pages never ask for what the API would refuse.
 */

export interface ConnectorChoice {
  kind: string;
  /** The vendor's product name. */
  label: string;
  role: 'crm' | 'helpdesk';
  /** Whether it connects through an OAuth app ("bring your own OAuth app"). */
  oauth: boolean;
}

/** Every installed connector, CRMs first. */
export function connectorChoices(): ConnectorChoice[] {
  return [...Object.values(CRM_CONNECTORS), ...Object.values(HELPDESK_CONNECTORS)].map((f) => ({ kind: f.kind, label: f.label, role: f.role, oauth: Boolean(f.oauth) }));
}

/** One input of a credentials form. */
export interface CredentialField {
  /** The property of `credentials` it fills. */
  name: string;
  required: boolean;
  /** 'uri', 'email' or null. */
  format: string | null;
  /** What the connector fills in when it is left as it is. */
  defaultValue: string | null;
  /** What it must be, in the connector's words (its validation messages). */
  description: string | null;
  /** A key, token or secret: typed into a password input, never shown again. */
  secret: boolean;
  /** A PEM block: a text area. */
  multiline: boolean;
}

/** The credentials of one way of signing in (one authType). */
export interface CredentialForm {
  /** The property that decides the shape ('authType'), or null when there is one shape. */
  property: string | null;
  /** Its value for this form ('jwt', 'api_token', …). */
  value: string | null;
  fields: CredentialField[];
}

const SECRET = /secret|token|key|password/i;
const PEM = /-----BEGIN/;
/** The value the OAuth flow gives `authType`: made by the flow, never typed. */
const OAUTH_MADE = 'oauth';

function fieldsOf(schema: SchemaObject, deciding: string | null): CredentialField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const p = property as SchemaObject;
    if (name === deciding) return [];
    const defaultValue = typeof p.default === 'string' ? p.default : null;
    // Asked for: what is required, what has a default to confirm, and another host (a sandbox, a
    // proxy). Optional values the connector fills itself (a webhook secret, a token's expiry) are not.
    if (!required.has(name) && defaultValue === null && p.format !== 'uri') return [];
    const multiline = Boolean(p.pattern && PEM.test(p.pattern));
    return [
      {
        name,
        required: required.has(name),
        format: p.format ?? null,
        defaultValue,
        description: p.description ?? null,
        secret: multiline || SECRET.test(name),
        multiline,
      },
    ];
  });
}

/**
 * The ways to connect `kind` by typing credentials (tokens, keys, a JWT certificate's key): one
 * form per authType, without the one the OAuth flow makes. 400 for an unknown kind.
 */
export function credentialForms(kind: string): CredentialForm[] {
  const factory = factoryFor(kind);
  const decided = classVariants(factory.credentialsClass);
  if (!decided) return [{ property: null, value: null, fields: fieldsOf(classSchema(factory.credentialsClass), null) }];
  return decided.variants
    .filter((v) => !(factory.oauth && v.value === OAUTH_MADE))
    .map((v) => ({ property: decided.property, value: v.value, fields: fieldsOf(v.schema, decided.property) }));
}
