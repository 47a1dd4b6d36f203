import { CrmConnector } from './crm-connector';
import { NpsAccountField, NpsContactField } from './crm-writes';
import { CredentialRenewal, OAuthApp } from './oauth-app';
import { SharedRateBudget } from './rate-limiter';
import { Sleep } from './retry-policy';

/** What a connector instance gets: decrypted credentials, the connection's settings, hooks. */
export interface ConnectorContext<C = unknown, S = unknown> {
  credentials: C;
  settings: S;
  /**
   * Called when the connector obtained new tokens (OAuth refresh), so the caller can store them
   * encrypted. The connector keeps working with the new ones either way.
   */
  onCredentialsRefreshed?: (credentials: C) => Promise<void>;
  /**
   * Renews OAuth tokens once across every process (the connection's lock, the stored credentials,
   * the result stored encrypted); when given, it stores them and onCredentialsRefreshed is not called.
   */
  renewCredentials?: CredentialRenewal<C>;
  /** Injected in tests to make backoff instant. */
  sleep?: Sleep;
  /** How long one request may take to be fully answered before it counts as failed (tests shorten it). */
  requestTimeoutMs?: number;
  /** Structured log line for progress, retries and limits (never credentials). */
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** The connection's share of the rate budget every process counts in; without it the connector counts alone. */
  rateBudget?: SharedRateBudget;
}

/**
 * How the registry knows a vendor: its kind, the classes that validate the admin's input
 * (class-validator DTOs, so errors name the field), defaults, and how to build a connector.
 */
export interface CrmConnectorFactory<C extends object = object, S extends object = object> {
  kind: string;
  role: 'crm';
  /** Human name for messages (the vendor's product name). */
  label: string;
  credentialsClass: new () => C;
  settingsClass: new () => S;
  /** Settings with every default filled in (field mapping, rate budget, role mapping). */
  withDefaults(settings: Partial<S> | undefined): S;
  create(context: ConnectorContext<C, S>): CrmConnector;
  /** Default API names of the rules §8 fields (a connection's settings.npsFields may rename them). */
  npsFieldNames: Readonly<Record<NpsAccountField | NpsContactField, string>>;
  /** The OAuth authorization code flow ("bring your own OAuth app"), when the vendor offers one. */
  oauth?: OAuthApp;
}
