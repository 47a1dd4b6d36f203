import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { jwtAudience, signJwtAssertion, tokenRequest } from './salesforce-auth';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

describe('signJwtAssertion', () => {
  it('signs RS256 over header.claims with iss, sub, aud and exp = now + 3 minutes', () => {
    const now = Date.UTC(2026, 10, 23, 10, 0, 0);
    const jwt = signJwtAssertion({ clientId: '3MVG9abc', username: 'int@example.com', loginUrl: 'https://login.salesforce.com/' }, pem, now);
    const [header, claims, signature] = jwt.split('.');
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decode(claims)).toEqual({ iss: '3MVG9abc', sub: 'int@example.com', aud: 'https://login.salesforce.com', exp: now / 1000 + 180 });
    expect(verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })), Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
  });

  it('throws on a key that is not a private key', () => {
    expect(() => signJwtAssertion({ clientId: 'c', username: 'u', loginUrl: 'https://login.salesforce.com' }, 'nope')).toThrow();
  });
});

describe('jwtAudience', () => {
  it('is the Salesforce authorization server for My Domain hosts, else the login URL itself', () => {
    expect(jwtAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://acme--uat.sandbox.my.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://test.salesforce.com/')).toBe('https://test.salesforce.com');
    expect(jwtAudience('http://127.0.0.1:4000/sandbox/salesforce')).toBe('http://127.0.0.1:4000/sandbox/salesforce');
  });
});

describe('tokenRequest', () => {
  it('asks for the JWT bearer grant with an assertion, or the client-credentials grant', () => {
    const jwt = tokenRequest({ authType: 'jwt', loginUrl: '', clientId: 'c', username: 'u', privateKey: pem }, 'https://login.salesforce.com');
    expect(jwt.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(decode(jwt.assertion.split('.')[1])).toMatchObject({ iss: 'c', sub: 'u' });
    expect(tokenRequest({ authType: 'client_credentials', loginUrl: '', clientId: 'c', clientSecret: 's' }, 'x')).toEqual({ grant_type: 'client_credentials' });
  });
});
