import { createServer } from 'node:net';
import { Logger } from '@nestjs/common';
import type { AppConfig, Clock } from '@libs/config/src';
import { ConsoleSingleSignOnService, SingleSignOnFlow, SingleSignOnRefused } from './console-single-sign-on.service';
import type { ConsoleUserService } from './console-users.service';

/** A port nothing listens on: taken from the system, then let go. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const NOW = new Date('2026-03-02T09:00:00Z');

function service(issuer: string): ConsoleSingleSignOnService {
  const config = {
    publicUrl: 'https://nps.acme.example',
    consoleOidc: { issuer, clientId: 'nps-bridge', clientSecret: 's3cret', name: 'Acme Login', allowedDomains: [], newUserRole: 'viewer' },
  } as unknown as AppConfig;
  const clock: Clock = { now: () => NOW } as Clock;
  const users = {
    findByEmail: () => {
      throw new Error('no user may be looked up before the provider answered');
    },
  } as unknown as ConsoleUserService;
  return new ConsoleSingleSignOnService(config, clock, users);
}

async function refusal(work: Promise<unknown>): Promise<SingleSignOnRefused> {
  try {
    await work;
  } catch (error) {
    if (error instanceof SingleSignOnRefused) return error;
    throw error;
  }
  throw new Error('expected a SingleSignOnRefused');
}

describe('ConsoleSingleSignOnService: sign-ins it refuses before trusting anything', () => {
  const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  afterAll(() => warned.mockRestore());

  it('names the provider on the sign-in page and the callback URL to register with it', () => {
    const sso = service('https://login.acme.example');
    expect(sso.provider).toEqual({ name: 'Acme Login' });
    expect(sso.callbackUrl()).toBe('https://nps.acme.example/console/oidc/callback');
  });

  it('a provider that is down: a sentence saying so (the password form stays), and the next try asks it again', async () => {
    const sso = service(`http://127.0.0.1:${await closedPort()}`);
    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await refusal(sso.start());
      expect([refused.problem, refused.message]).toEqual([
        'unavailable',
        'Sign-in with Acme Login is not available right now: nps-bridge could not reach it (the connection was refused). Try again in a few minutes, or sign in with your email and password.',
      ]);
    }
    // The log says what kind of refusal, never who or with which code.
    expect(warned.mock.calls.slice(-2)).toEqual([['single sign-on refused: unavailable'], ['single sign-on refused: unavailable']]);
  });

  it('an answer with no sign-in started in this browser, or one started more than 10 minutes ago, is refused before the provider is asked', async () => {
    const sso = service(`http://127.0.0.1:${await closedPort()}`);
    const none = await refusal(sso.finish(undefined, { code: 'abc', state: 'xyz' }));
    expect([none.problem, none.message]).toEqual(['no_flow', 'This sign-in was not started in this browser, or was already used. Start again with “Sign in with Acme Login”.']);
    const old: SingleSignOnFlow = { state: 's', nonce: 'n', codeVerifier: 'v', startedAt: NOW.getTime() - 10 * 60_000 - 1 };
    const expired = await refusal(sso.finish(old, { code: 'abc', state: 's' }));
    expect([expired.problem, expired.message]).toEqual(['expired', 'The sign-in at Acme Login took longer than 10 minutes. Start again with “Sign in with Acme Login”.']);
  });
});
