/**
 * A connection's connector, kept between runs while the connection row is unchanged: its session
 * (a Salesforce token) and rate limiter carry over instead of costing a sign-in call each time.
 * Any change to the connection (credentials refreshed, settings edited) builds a new one.
 */
export class ConnectorCache<T> {
  private readonly built = new Map<string, { stamp: number; connector: T }>();

  get(connection: { id: string; updatedAt: Date }, build: () => T): T {
    const stamp = new Date(connection.updatedAt).getTime();
    const cached = this.built.get(connection.id);
    if (cached && cached.stamp === stamp) return cached.connector;
    const connector = build();
    this.built.set(connection.id, { stamp, connector });
    return connector;
  }
}
