import { Type } from '@nestjs/common';
import { ConnectionsService } from '@libs/app/src/connections/connections.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { APP_CONFIG, AppConfig, CredentialCipher } from '@libs/config/src';
import { ServedSandbox } from '@apps/sandbox/src/sandboxes';

/** A stored connection that points at a sandbox this process serves (the demo's, or one a person made the same way). */
export interface SandboxConnection {
  id: string;
  served: ServedSandbox;
  credentials: Record<string, unknown>;
  /** The sandbox URL stored with it: an older port's when PORT changed since. */
  storedUrl: string;
}

/** Looks a provider up in the running app (the app context, or a module's ModuleRef). */
export type Resolve = <T>(type: Type<T> | symbol) => T;

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Connections whose credentials name a mounted sandbox: the credential fields the kit fills
 * with the sandbox's URL (loginUrl, baseUrl) hold a URL ending in that sandbox's mount path.
 */
export async function sandboxConnections(resolve: Resolve, served: ServedSandbox[]): Promise<SandboxConnection[]> {
  const builder = resolve(ConnectorBuilder);
  const cipher = CredentialCipher.fromConfig(resolve<AppConfig>(APP_CONFIG));
  const found: SandboxConnection[] = [];
  for (const connection of await resolve(ConnectionsService).list()) {
    const sandbox = served.find((s) => s.kit.kind === connection.kind);
    const row = sandbox && (await builder.loadWithCredentials(connection.id));
    if (!sandbox || !row) continue;
    const credentials = cipher.decrypt<Record<string, unknown>>(row.credentialsEncrypted);
    const expected = sandbox.kit.connection(sandbox.baseUrl).credentials;
    const urlKey = Object.keys(expected).find((k) => expected[k] === sandbox.baseUrl);
    const stored = urlKey ? credentials[urlKey] : undefined;
    if (typeof stored !== 'string' || !trimSlash(stored).endsWith(sandbox.basePath)) continue;
    found.push({ id: connection.id, served: sandbox, credentials, storedUrl: stored });
  }
  return found;
}

/** Whether the stored URL is another than where the sandbox is served now (PORT or PUBLIC_URL changed). */
export function moved(connection: SandboxConnection): boolean {
  return trimSlash(connection.storedUrl) !== trimSlash(connection.served.baseUrl);
}

/** The credentials with every field that held the old sandbox URL pointing at the current one. */
export function repointed(connection: SandboxConnection): Record<string, unknown> {
  return Object.fromEntries(Object.entries(connection.credentials).map(([k, v]) => [k, v === connection.storedUrl ? connection.served.baseUrl : v]));
}
