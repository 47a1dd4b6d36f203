import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Written before key ids existed: `v1.<iv>.<tag>.<ciphertext>`. Still read, never written. */
const LEGACY = 'v1';
/** `v2.<key id>.<iv>.<tag>.<ciphertext>`: names the key, so a rotation knows what to re-encrypt. */
const VERSION = 'v2';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ADVICE = 'give the key that encrypted them as ENCRYPTION_KEY, or as ENCRYPTION_KEY_PREVIOUS and run `npm run credentials:rotate`';

/** A key's public name: the first 8 hex characters of its SHA-256 (identifies, reveals nothing usable). */
export function encryptionKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

interface Sealed {
  /** undefined for a legacy value: any known key may have written it. */
  keyId: string | undefined;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function unseal(stored: string): Sealed {
  const parts = stored.split('.');
  const [version] = parts;
  const fields = version === VERSION && parts.length === 5 ? parts.slice(2) : version === LEGACY && parts.length === 4 ? parts.slice(1) : undefined;
  const keyId = version === VERSION ? parts[1] : undefined;
  if (!fields || (version === VERSION && !/^[0-9a-f]{8}$/.test(keyId ?? ''))) {
    throw new Error('stored credentials are not in a format this version can read');
  }
  const [iv, tag, ciphertext] = fields.map((part) => Buffer.from(part, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new Error('stored credentials are not in a format this version can read');
  }
  return { keyId, iv, tag, ciphertext };
}

function open(key: Buffer, sealed: Sealed): Buffer | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
  decipher.setAuthTag(sealed.tag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

/**
 * AES-256-GCM for vendor credentials at rest. Each value gets a fresh 96-bit IV; the auth tag
 * makes any tampering (or a wrong key) fail loudly instead of yielding garbage.
 * Stored form: `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). New values are always
 * sealed with the current key (ENCRYPTION_KEY); previous keys (ENCRYPTION_KEY_PREVIOUS) only
 * open values sealed before a key change, until `npm run credentials:rotate` re-seals them.
 */
export class CredentialCipher {
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly key: Buffer,
    previousKeys: readonly Buffer[] = [],
  ) {
    for (const candidate of [key, ...previousKeys]) {
      if (candidate.length !== 32) throw new Error('CredentialCipher needs a 32-byte key');
      if (!this.keys.has(encryptionKeyId(candidate))) this.keys.set(encryptionKeyId(candidate), candidate);
    }
    this.currentKeyId = encryptionKeyId(key);
  }

  /** The cipher the configuration describes: ENCRYPTION_KEY, then ENCRYPTION_KEY_PREVIOUS. */
  static fromConfig(config: { encryptionKey: Buffer; encryptionKeyPrevious?: readonly Buffer[] }): CredentialCipher {
    return new CredentialCipher(config.encryptionKey, config.encryptionKeyPrevious ?? []);
  }

  encrypt(value: unknown): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.currentKeyId, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  decrypt<T = unknown>(stored: string): T {
    const sealed = unseal(stored);
    let plain: Buffer | undefined;
    if (sealed.keyId === undefined) {
      // A legacy value names no key: the current one first, as it is by far the likeliest.
      for (const key of this.keys.values()) {
        plain = open(key, sealed);
        if (plain) break;
      }
    } else {
      const key = this.keys.get(sealed.keyId);
      if (!key) {
        throw new Error(
          `stored credentials cannot be decrypted: they were encrypted with key ${sealed.keyId}, and ENCRYPTION_KEY differs (it is key ${this.currentKeyId}); ${ADVICE}`,
        );
      }
      plain = open(key, sealed);
      if (!plain) throw new Error(`stored credentials cannot be decrypted: the value was altered (it names key ${sealed.keyId}, which is known)`);
    }
    if (!plain) {
      throw new Error(`stored credentials cannot be decrypted: ENCRYPTION_KEY differs from the one that encrypted them, or the value was altered; ${ADVICE}`);
    }
    return JSON.parse(plain.toString('utf8')) as T;
  }

  /** The key a stored value names; undefined for a legacy value (written before key ids). */
  keyIdOf(stored: string): string | undefined {
    return unseal(stored).keyId;
  }

  /** Whether `stored` is already sealed with the current key, so a rotation can leave it alone. */
  isCurrent(stored: string): boolean {
    return this.keyIdOf(stored) === this.currentKeyId;
  }
}
