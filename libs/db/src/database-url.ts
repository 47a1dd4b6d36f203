import { Client } from 'pg';
import { ConfigError } from '@libs/config/src/config';

/** The URL with its password replaced, for messages and logs. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/**
 * Fails fast with a ConfigError naming DATABASE_URL when the server cannot be reached or
 * refuses the login, instead of letting a pool retry forever.
 */
export async function checkDatabaseReachable(url: string, timeoutMs = 5000): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message || (error as NodeJS.ErrnoException).code : String(error);
    throw new ConfigError('DATABASE_URL', `cannot connect to ${redactUrl(url)} (${reason})`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
