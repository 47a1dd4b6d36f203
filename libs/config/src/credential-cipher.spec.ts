import { CredentialCipher } from './credential-cipher';

describe('CredentialCipher (AES-256-GCM)', () => {
  const cipher = new CredentialCipher(Buffer.alloc(32, 3));
  const secret = { clientId: 'abc', clientSecret: 's3cr3t', privateKey: '-----BEGIN KEY-----' };

  it('round-trips a credential object and never stores it in clear', () => {
    const stored = cipher.encrypt(secret);
    expect(stored).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(stored).not.toContain('s3cr3t');
    expect(cipher.decrypt(stored)).toEqual(secret);
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt(secret)).not.toBe(cipher.encrypt(secret));
  });

  it('refuses a tampered value and a wrong key with a message that says so', () => {
    const stored = cipher.encrypt(secret);
    const parts = stored.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    const tampered = [parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.');
    expect(() => cipher.decrypt(tampered)).toThrow(/cannot be decrypted/);
    expect(() => new CredentialCipher(Buffer.alloc(32, 4)).decrypt(stored)).toThrow(/ENCRYPTION_KEY differs/);
    expect(() => cipher.decrypt('plain text')).toThrow(/format/);
  });

  it('requires a 32-byte key', () => {
    expect(() => new CredentialCipher(Buffer.alloc(16))).toThrow(/32-byte/);
  });
});
