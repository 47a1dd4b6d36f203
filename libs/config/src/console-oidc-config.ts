import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

/**
 * Single sign-on to the console with OpenID Connect (CONSOLE_OIDC_*). Unset: the console signs
 * people in with email and password only.
 */
export interface ConsoleOidcConfig {
  /** The provider's issuer URL; its discovery document is read from <issuer>/.well-known/openid-configuration. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the sign-in page names: "Sign in with <name>". */
  name: string;
  /**
   * Email domains (lower-case) whose people get a console user at their first sign-in. Empty (the
   * default): only people an admin already added can sign in with single sign-on.
   */
  allowedDomains: string[];
  /** The role of a console user made at their first sign-in (allowedDomains only). */
  newUserRole: 'admin' | 'viewer';
}

const VARIABLES = ['CONSOLE_OIDC_ISSUER', 'CONSOLE_OIDC_CLIENT_ID', 'CONSOLE_OIDC_CLIENT_SECRET'] as const;
const OPTIONAL = ['CONSOLE_OIDC_NAME', 'CONSOLE_OIDC_ALLOWED_DOMAINS', 'CONSOLE_OIDC_NEW_USER_ROLE'] as const;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/**
 * An issuer is https: the ID token's keys and the client secret travel to it. Plain http only on
 * this machine (a provider run beside the service, as the tests do).
 */
function parseIssuer(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('CONSOLE_OIDC_ISSUER', `must be the provider's issuer URL, like https://login.example.com, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new ConfigError('CONSOLE_OIDC_ISSUER', `must be an https URL (http only for 127.0.0.1 or localhost), got "${raw}"`);
  }
  if (url.search || url.hash) throw new ConfigError('CONSOLE_OIDC_ISSUER', `must be the issuer URL without a query or fragment, got "${raw}"`);
  return raw; // as given: the ID token's iss is checked against what discovery says, trailing slash and all
}

function parseDomains(raw: string | undefined): string[] {
  const domains = (raw ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
    .filter((d) => d !== '');
  const bad = domains.find((d) => !DOMAIN.test(d));
  if (bad !== undefined) throw new ConfigError('CONSOLE_OIDC_ALLOWED_DOMAINS', `must be email domains like example.com, comma-separated, got "${bad}"`);
  return [...new Set(domains)];
}

/** CONSOLE_OIDC_*: undefined when single sign-on is not configured; a ConfigError naming the variable when half-configured or malformed. */
export function loadConsoleOidcConfig(env: Env): ConsoleOidcConfig | undefined {
  const given = [...VARIABLES, ...OPTIONAL].filter((name) => (env[name] ?? '') !== '');
  if (given.length === 0) return undefined;
  const missing = VARIABLES.find((name) => (env[name] ?? '').trim() === '');
  if (missing) throw new ConfigError(missing, `is required for single sign-on (${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set)`);
  const role = env.CONSOLE_OIDC_NEW_USER_ROLE || 'viewer';
  if (role !== 'admin' && role !== 'viewer') throw new ConfigError('CONSOLE_OIDC_NEW_USER_ROLE', `must be viewer or admin, got "${role}"`);
  const name = (env.CONSOLE_OIDC_NAME ?? '').trim() || 'single sign-on';
  if (name.length > 60) throw new ConfigError('CONSOLE_OIDC_NAME', 'must be at most 60 characters (it is shown on the sign-in button)');
  return {
    issuer: parseIssuer(env.CONSOLE_OIDC_ISSUER!.trim()),
    clientId: env.CONSOLE_OIDC_CLIENT_ID!.trim(),
    clientSecret: env.CONSOLE_OIDC_CLIENT_SECRET!,
    name,
    allowedDomains: parseDomains(env.CONSOLE_OIDC_ALLOWED_DOMAINS),
    newUserRole: role,
  };
}
