/**
 * A real OpenID Connect provider (oidc-provider, with its development sign-in pages) for the
 * console's single sign-on test. It runs as its own Node process because oidc-provider is
 * ESM-only and Jest here runs CommonJS; test/support/oidc-provider.ts starts and stops it.
 *
 * Talks over stdio, one JSON line each way:
 * - once listening, it prints {"issuer":"http://127.0.0.1:<port>"};
 * - it then reads {"client":{client_id, client_secret, redirect_uris}, "accounts":{<login>: claims}}
 *   (the client's redirect URI is known only once the service listens, after the issuer) and
 *   prints {"ready":true}. Until then it answers 503.
 * It exits when its stdin closes, so it never outlives the test that started it.
 */
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import Provider from 'oidc-provider';

// stdout carries the protocol; oidc-provider's notices go to stderr with its warnings.
console.info = console.error;
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

let handle = (_req, res) => {
  res.statusCode = 503;
  res.end('the test provider is not configured yet');
};
const server = createServer((req, res) => handle(req, res));

function configure({ client, accounts }, issuer) {
  const provider = new Provider(issuer, {
    clients: [{ ...client, response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic' }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: ['the test provider signs its cookies with this'] },
    pkce: { required: () => true },
    // The development sign-in page takes any login; an account listed by the test is who it signs in.
    findAccount: (_ctx, sub) => (accounts[sub] ? { accountId: sub, claims: () => ({ sub, ...accounts[sub] }) } : undefined),
    // A first-party client: nobody is asked to consent to nps-bridge reading their email.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email');
      grant.addOIDCClaims(['email', 'email_verified']);
      await grant.save();
      return grant;
    },
  });
  handle = provider.callback();
}

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  say({ issuer });
  const lines = createInterface({ input: process.stdin });
  lines.once('line', (line) => {
    configure(JSON.parse(line), issuer);
    say({ ready: true });
  });
  lines.on('close', () => process.exit(0));
});
