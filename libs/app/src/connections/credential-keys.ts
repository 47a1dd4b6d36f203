import { EntityManager } from 'typeorm';
import { ConfigError, CredentialCipher } from '@libs/config/src';
import { ConnectionsRepository } from '@libs/db/src/repositories/connections.repository';

export interface KeyCheck {
  /** Stored credentials sealed with a previous key or before key ids: `credentials:rotate` would re-seal them. */
  notUnderCurrentKey: number;
}

/** The key a stored value names; 'legacy' for values without one, undefined for a value no version can read. */
function keyGroup(cipher: CredentialCipher, stored: string): string | undefined {
  try {
    return cipher.keyIdOf(stored) ?? 'legacy';
  } catch {
    return undefined;
  }
}

/**
 * At start: decrypts the newest stored credential of every key id found, so a process given a
 * key that cannot read what is stored stops at once with one line naming ENCRYPTION_KEY,
 * instead of failing every sync and delivery later. A value no version can read is a damaged
 * row, not a key question; it is left to fail where it is used.
 */
export async function checkStoredCredentials(db: EntityManager, cipher: CredentialCipher): Promise<KeyCheck> {
  const rows = await new ConnectionsRepository(db).listStoredCredentials();
  const tried = new Set<string>();
  let notUnderCurrentKey = 0;
  for (const row of rows) {
    const group = keyGroup(cipher, row.credentialsEncrypted);
    if (group === undefined) continue;
    if (group !== cipher.currentKeyId) notUnderCurrentKey += 1;
    if (tried.has(group)) continue;
    tried.add(group);
    try {
      cipher.decrypt(row.credentialsEncrypted);
    } catch (error) {
      const reason = (error as Error).message.replace(/^stored credentials cannot be decrypted: /, '');
      throw new ConfigError('ENCRYPTION_KEY', `cannot decrypt the stored credentials of connection "${row.name}": ${reason}`);
    }
  }
  return { notUnderCurrentKey };
}

export interface Rotation {
  rotated: number;
  alreadyCurrent: number;
  /** Changed by a running process between our read and write (e.g. a refreshed token); run again. */
  changedMeanwhile: number;
  failed: Array<{ id: string; name: string; reason: string }>;
}

/**
 * Re-seals every stored credential that is not under the current key (ENCRYPTION_KEY), opening
 * it with the current or a previous key. Each row is written only if unchanged since read.
 */
export async function rotateCredentials(db: EntityManager, cipher: CredentialCipher): Promise<Rotation> {
  const repository = new ConnectionsRepository(db);
  const rotation: Rotation = { rotated: 0, alreadyCurrent: 0, changedMeanwhile: 0, failed: [] };
  for (const row of await repository.listStoredCredentials()) {
    let resealed: string;
    try {
      if (cipher.isCurrent(row.credentialsEncrypted)) {
        rotation.alreadyCurrent += 1;
        continue;
      }
      resealed = cipher.encrypt(cipher.decrypt(row.credentialsEncrypted));
    } catch (error) {
      rotation.failed.push({ id: row.id, name: row.name, reason: (error as Error).message });
      continue;
    }
    if (await repository.replaceCredentialsIfUnchanged(row.id, row.credentialsEncrypted, resealed)) rotation.rotated += 1;
    else rotation.changedMeanwhile += 1;
  }
  return rotation;
}
