import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, registerDecorator, ValidateIf, ValidationArguments } from 'class-validator';
import { salesforceDescriptor } from '../descriptor';

const SALESFORCE_AUTH_TYPES = ['jwt', 'client_credentials', 'oauth'] as const;
export type SalesforceAuthType = (typeof SALESFORCE_AUTH_TYPES)[number];

const PEM_PRIVATE_KEY = /-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/;

/** Salesforce's shared login hosts: the JWT flow may use them, the client credentials flow may not. */
const SHARED_LOGIN_HOSTS: readonly string[] = ['login.salesforce.com', 'test.salesforce.com'];

/** Whether `url` points at login.salesforce.com or test.salesforce.com (any case, with or without a trailing slash). */
export function isSharedLoginUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url.trim());
    return SHARED_LOGIN_HOSTS.includes(parsed.hostname.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * The client credentials flow is not supported on login.salesforce.com or test.salesforce.com
 * (README "Client credentials"): its token request must go to the org's My Domain host.
 */
function IsMyDomainForClientCredentials() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isMyDomainForClientCredentials',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => (args.object as SalesforceCredentials).authType !== 'client_credentials' || !isSharedLoginUrl(value),
        defaultMessage: () =>
          `${propertyName} must be your org's My Domain URL (https://<domain>.my.salesforce.com) for authType client_credentials: Salesforce does not support the client credentials flow on login.salesforce.com or test.salesforce.com`,
      },
    });
}

/**
 * How nps-bridge signs in to one org: the server-to-server flows (JWT bearer, client credentials),
 * or the tokens an admin's approval gave through the web server flow (`oauth`, README "OAuth web
 * server flow"; made by the connect flow, refreshed with the refresh token). The username-password
 * flow is blocked in new orgs and being retired (README "Deprecations").
 */
export class SalesforceCredentials {
  @IsIn(SALESFORCE_AUTH_TYPES)
  authType: SalesforceAuthType;

  /**
   * JWT: login.salesforce.com, test.salesforce.com or the My Domain host. Client credentials:
   * the My Domain host only. The sandbox URL in tests.
   */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @IsMyDomainForClientCredentials()
  loginUrl: string = salesforceDescriptor.loginUrl;

  /** The connected app's consumer key. */
  @IsString()
  clientId: string;

  /** JWT: the integration user the certificate signs in as. */
  @ValidateIf((c: SalesforceCredentials) => c.authType === 'jwt')
  @IsString()
  username?: string;

  /** JWT: PEM private key matching the certificate uploaded to the connected app. */
  @ValidateIf((c: SalesforceCredentials) => c.authType === 'jwt')
  @IsString()
  @Matches(PEM_PRIVATE_KEY, { message: 'privateKey must be a PEM private key' })
  privateKey?: string;

  /** Client credentials and OAuth: the app's consumer secret. */
  @ValidateIf((c: SalesforceCredentials) => c.authType === 'client_credentials' || c.authType === 'oauth')
  @IsString()
  clientSecret?: string;

  /** OAuth: the refresh token the admin's approval gave (scope refresh_token). */
  @ValidateIf((c: SalesforceCredentials) => c.authType === 'oauth')
  @IsString()
  @IsNotEmpty()
  refreshToken?: string;

  /** OAuth: the latest access token, when there is one; renewed with the refresh token when refused. */
  @ValidateIf((c: SalesforceCredentials) => c.authType === 'oauth' && c.accessToken !== undefined)
  @IsString()
  @IsNotEmpty()
  accessToken?: string;

  /** OAuth: the identity URL of the token response (its last segment is the user's id). */
  @ValidateIf((c: SalesforceCredentials) => c.authType === 'oauth' && c.identityUrl !== undefined)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  identityUrl?: string;

  /** Known instance URL; the token response's instance_url wins when they differ. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  instanceUrl?: string;
}
