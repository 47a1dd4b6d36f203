import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { loadConfig } from './config';
import { CredentialCipher, encryptionKeyId } from './credential-cipher';

/** What the previous version wrote (`v1.<iv>.<tag>.<ciphertext>`, no key id), made independently here. */
function legacyValue(key: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

describe('CredentialCipher (AES-256-GCM)', () => {
  const oldKey = Buffer.alloc(32, 3);
  const newKey = Buffer.alloc(32, 4);
  const cipher = new CredentialCipher(oldKey);
  const secret = { clientId: 'abc', clientSecret: 's3cr3t', privateKey: '-----BEGIN KEY-----' };

  it('round-trips a credential object, names its key, and never stores it in clear', () => {
    const stored = cipher.encrypt(secret);
    const keyId = createHash('sha256').update(oldKey).digest('hex').slice(0, 8);
    expect(stored).toMatch(new RegExp(`^v2\\.${keyId}\\.[\\w-]{16}\\.[\\w-]{22}\\.[\\w-]+$`));
    expect(encryptionKeyId(oldKey)).toBe(keyId);
    expect(stored).not.toContain('s3cr3t');
    expect(cipher.decrypt(stored)).toEqual(secret);
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt(secret)).not.toBe(cipher.encrypt(secret));
  });

  it('still reads values written before key ids, with the current or a previous key', () => {
    expect(cipher.decrypt(legacyValue(oldKey, secret))).toEqual(secret);
    const rotated = new CredentialCipher(newKey, [oldKey]);
    expect(rotated.decrypt(legacyValue(oldKey, secret))).toEqual(secret);
    expect(rotated.keyIdOf(legacyValue(oldKey, secret))).toBeUndefined();
    expect(() => new CredentialCipher(newKey).decrypt(legacyValue(oldKey, secret))).toThrow(/ENCRYPTION_KEY differs/);
  });

  it('opens old values with a previous key but seals new ones with the current key only', () => {
    const old = cipher.encrypt(secret);
    const rotated = new CredentialCipher(newKey, [oldKey]);
    expect(rotated.decrypt(old)).toEqual(secret);
    expect(rotated.isCurrent(old)).toBe(false);
    const resealed = rotated.encrypt(rotated.decrypt(old));
    expect(rotated.isCurrent(resealed)).toBe(true);
    expect(new CredentialCipher(newKey).decrypt(resealed)).toEqual(secret);
    expect(() => cipher.decrypt(resealed)).toThrow(new RegExp(`key ${encryptionKeyId(newKey)}.*ENCRYPTION_KEY differs`));
  });

  it('refuses a tampered value and a wrong key with a message that says so', () => {
    const stored = cipher.encrypt(secret);
    const parts = stored.split('.');
    const flipped = Buffer.from(parts[4], 'base64url');
    flipped[0] ^= 1;
    const tampered = [...parts.slice(0, 4), flipped.toString('base64url')].join('.');
    expect(() => cipher.decrypt(tampered)).toThrow(/cannot be decrypted: the value was altered/);
    expect(() => new CredentialCipher(newKey).decrypt(stored)).toThrow(/ENCRYPTION_KEY differs/);
    expect(() => cipher.decrypt('plain text')).toThrow(/format/);
    expect(() => cipher.decrypt('v1.x.y.z')).toThrow(/format/);
    expect(() => cipher.decrypt('')).toThrow(/format/);
  });

  it('requires 32-byte keys, current and previous', () => {
    expect(() => new CredentialCipher(Buffer.alloc(16))).toThrow(/32-byte/);
    expect(() => new CredentialCipher(oldKey, [Buffer.alloc(16)])).toThrow(/32-byte/);
  });

  it('takes ENCRYPTION_KEY_PREVIOUS from the configuration, naming it when malformed', () => {
    const env = { DATABASE_URL: 'postgres://db/nps', ENCRYPTION_KEY: newKey.toString('base64') };
    const config = loadConfig({ ...env, ENCRYPTION_KEY_PREVIOUS: `${oldKey.toString('base64')}, ${Buffer.alloc(32, 5).toString('hex')}` });
    expect(config.encryptionKeyPrevious.map(encryptionKeyId)).toEqual([encryptionKeyId(oldKey), encryptionKeyId(Buffer.alloc(32, 5))]);
    expect(CredentialCipher.fromConfig(config).decrypt(cipher.encrypt(secret))).toEqual(secret);
    expect(loadConfig(env).encryptionKeyPrevious).toEqual([]);
    expect(() => loadConfig({ ...env, ENCRYPTION_KEY_PREVIOUS: 'short' })).toThrow(/^ENCRYPTION_KEY_PREVIOUS: must be 32 bytes/);
  });
});
