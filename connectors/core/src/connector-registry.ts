import { createHash } from 'node:crypto';

/** What a connector is built from: a stored connection row (credentials still encrypted). */
export interface RegisteredConnection {
  id: string;
  kind: string;
  settings: unknown;
  credentialsEncrypted: string;
}

/**
 * What the connector is built from, as one value: a change of credentials (a refreshed token,
 * a new key) or of settings gives another stamp. A status or error written on the row does not,
 * so a sync finishing does not throw away the session and the budget it shares.
 */
function connectionStamp(connection: RegisteredConnection): string {
  return createHash('sha256')
    .update(JSON.stringify([connection.kind, connection.credentialsEncrypted, connection.settings ?? null]))
    .digest('base64url');
}

/**
 * The connector registry: one live connector per connection in a process, whoever asks (the
 * connections API, the sync, the outbox, the task read-back), so its session (a CRM's
 * token) is signed in once and its rate limiters are one set. A connection whose credentials or
 * settings changed gets a new connector; calls already under way finish on the old one.
 */
export class ConnectorRegistry<T> {
  private readonly live = new Map<string, { stamp: string; built: T }>();

  get(connection: RegisteredConnection, build: () => T): T {
    const stamp = connectionStamp(connection);
    const known = this.live.get(connection.id);
    if (known && known.stamp === stamp) return known.built;
    const built = build();
    this.live.set(connection.id, { stamp, built });
    return built;
  }
}

/**
 * One use of a shared connector (a sync run, an outbox pass): everything goes to the shared
 * connector, but apiCalls() counts from this moment, so a run still records the calls it spent
 * (plus any another use of the same connection made in this process meanwhile).
 */
export function useFromNow<T extends { apiCalls(): number }>(connector: T): T {
  const before = connector.apiCalls();
  return new Proxy(connector, {
    get(target, property) {
      if (property === 'apiCalls') return () => target.apiCalls() - before;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
