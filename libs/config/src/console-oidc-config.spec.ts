import { ConfigError } from './config-error';
import { loadConsoleOidcConfig } from './console-oidc-config';

const BASE = { CONSOLE_OIDC_ISSUER: 'https://login.acme.example/', CONSOLE_OIDC_CLIENT_ID: 'nps-bridge', CONSOLE_OIDC_CLIENT_SECRET: 's3cret' };

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConsoleOidcConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('CONSOLE_OIDC_*: single sign-on settings', () => {
  it('is off when no CONSOLE_OIDC_ variable is set', () => {
    expect(loadConsoleOidcConfig({})).toBeUndefined();
    expect(loadConsoleOidcConfig({ CONSOLE_OIDC_ISSUER: '' })).toBeUndefined();
  });

  it('defaults to existing console users only, viewer for new ones, and a plain button name', () => {
    expect(loadConsoleOidcConfig(BASE)).toEqual({
      issuer: 'https://login.acme.example/',
      clientId: 'nps-bridge',
      clientSecret: 's3cret',
      name: 'single sign-on',
      allowedDomains: [],
      newUserRole: 'viewer',
    });
    expect(
      loadConsoleOidcConfig({
        ...BASE,
        CONSOLE_OIDC_NAME: ' Acme Login ',
        CONSOLE_OIDC_ALLOWED_DOMAINS: 'Acme.example, @eu.acme.example,acme.example',
        CONSOLE_OIDC_NEW_USER_ROLE: 'admin',
      }),
    ).toMatchObject({ name: 'Acme Login', allowedDomains: ['acme.example', 'eu.acme.example'], newUserRole: 'admin' });
    // http only for a provider on this machine.
    expect(loadConsoleOidcConfig({ ...BASE, CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:4000' })).toMatchObject({ issuer: 'http://127.0.0.1:4000' });
  });

  it.each([
    [{ CONSOLE_OIDC_ISSUER: 'https://login.acme.example' }, 'CONSOLE_OIDC_CLIENT_ID', /required for single sign-on \(CONSOLE_OIDC_ISSUER is set\)/],
    [{ ...BASE, CONSOLE_OIDC_CLIENT_SECRET: '' }, 'CONSOLE_OIDC_CLIENT_SECRET', /required for single sign-on/],
    [{ CONSOLE_OIDC_ALLOWED_DOMAINS: 'acme.example' }, 'CONSOLE_OIDC_ISSUER', /required for single sign-on/],
    [{ ...BASE, CONSOLE_OIDC_ISSUER: 'login.acme.example' }, 'CONSOLE_OIDC_ISSUER', /issuer URL/],
    [{ ...BASE, CONSOLE_OIDC_ISSUER: 'http://login.acme.example' }, 'CONSOLE_OIDC_ISSUER', /must be an https URL/],
    [{ ...BASE, CONSOLE_OIDC_ISSUER: 'https://login.acme.example/?tenant=1' }, 'CONSOLE_OIDC_ISSUER', /without a query/],
    [{ ...BASE, CONSOLE_OIDC_ALLOWED_DOMAINS: 'acme.example, *.acme.example' }, 'CONSOLE_OIDC_ALLOWED_DOMAINS', /got "\*\.acme\.example"/],
    [{ ...BASE, CONSOLE_OIDC_NEW_USER_ROLE: 'owner' }, 'CONSOLE_OIDC_NEW_USER_ROLE', /viewer or admin/],
  ])('refuses %j naming %s', (env, variable, reason) => {
    const error = refusal(env);
    expect([error.variable, error.message]).toEqual([variable, expect.stringMatching(reason)]);
  });
});
