import { codeChallengeOf, CredentialRenewal, newCodeVerifier, OAuthSession, OAuthTokenSet } from './oauth-app';

interface Tokens extends OAuthTokenSet {
  clientId: string;
}

const NOW = Date.parse('2026-12-06T12:00:00Z');
const inMinutes = (m: number) => new Date(NOW + m * 60_000).toISOString();

/** A vendor's refresh grant: each call answers the next access token, after a turn of the event loop. */
function vendor() {
  const calls: string[] = [];
  const refresh = async (stored: Tokens): Promise<Tokens> => {
    calls.push(stored.refreshToken ?? '');
    await new Promise((resolve) => setImmediate(resolve));
    return { ...stored, accessToken: `access-${calls.length}`, refreshToken: `refresh-${calls.length}`, expiresAt: inMinutes(30) };
  };
  return { calls, refresh };
}

/** The stored credentials of one connection and the lock every process renews under. */
function store(initial: Tokens) {
  let stored = { ...initial };
  let held: Promise<unknown> = Promise.resolve();
  const renew: CredentialRenewal<Tokens> = (change) => {
    const run = held.then(async () => {
      const next = await change({ ...stored });
      stored = { ...next };
      return next;
    });
    held = run.catch(() => undefined);
    return run;
  };
  return { renew, stored: () => stored };
}

describe('OAuthSession', () => {
  const start: Tokens = { clientId: 'c', accessToken: 'access-0', refreshToken: 'refresh-0', expiresAt: inMinutes(30) };

  it('renews once for every caller that saw the same token refused, and reports the new credentials', async () => {
    const { calls, refresh } = vendor();
    const reported: Tokens[] = [];
    const session = new OAuthSession<Tokens>(start, { refresh, onCredentialsRefreshed: async (c) => void reported.push(c), marginMs: 60_000, now: () => NOW });
    const renewed = await Promise.all([session.renew('access-0'), session.renew('access-0'), session.renew('access-0')]);
    expect(calls).toEqual(['refresh-0']);
    expect(renewed.map((c) => c.accessToken)).toEqual(['access-1', 'access-1', 'access-1']);
    expect(reported).toEqual([expect.objectContaining({ accessToken: 'access-1', refreshToken: 'refresh-1' })]);
    // A call that was sent with the old token and refused after the renewal gets the new one, no second refresh.
    expect((await session.renew('access-0')).accessToken).toBe('access-1');
    expect(calls).toHaveLength(1);
  });

  it('is due without an access token and a margin before it expires, not before', () => {
    const { refresh } = vendor();
    const at = (expiresAt: string | undefined, accessToken: string | undefined) =>
      new OAuthSession<Tokens>({ clientId: 'c', accessToken, expiresAt }, { refresh, marginMs: 60_000, now: () => NOW });
    expect(at(inMinutes(30), 'a').due()).toBe(false);
    expect(at(inMinutes(0.5), 'a').due()).toBe(true);
    expect(at(undefined, 'a').due()).toBe(false);
    expect(at(inMinutes(30), undefined).due()).toBe(true);
  });

  it('across processes: the second process takes the tokens the first stored instead of spending the refresh token again', async () => {
    const { calls, refresh } = vendor();
    const connection = store(start);
    const options = { refresh, renewCredentials: connection.renew, marginMs: 60_000, now: () => NOW };
    const [api, worker] = [new OAuthSession<Tokens>(start, options), new OAuthSession<Tokens>(start, options)];
    const [a, b] = await Promise.all([api.renew('access-0'), worker.renew('access-0')]);
    expect(calls).toEqual(['refresh-0']);
    expect([a.accessToken, b.accessToken]).toEqual(['access-1', 'access-1']);
    expect(connection.stored()).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  });

  it('passes a refused refresh on to every waiting caller, and tries again on the next call', async () => {
    let fail = true;
    const refresh = async (stored: Tokens) => {
      if (fail) throw new Error('invalid_grant: expired access/refresh token');
      return { ...stored, accessToken: 'access-2' };
    };
    const session = new OAuthSession<Tokens>(start, { refresh, marginMs: 0, now: () => NOW });
    const refused = await Promise.allSettled([session.renew('access-0'), session.renew('access-0')]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect((await session.renew('access-0')).accessToken).toBe('access-2');
  });
});

describe('PKCE', () => {
  it('makes a 43-character verifier and its S256 challenge (RFC 7636 appendix B)', () => {
    expect(newCodeVerifier()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});
