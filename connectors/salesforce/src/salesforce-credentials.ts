import { IsIn, IsOptional, IsString, IsUrl, Matches, ValidateIf } from 'class-validator';
import { salesforceDescriptor } from '../descriptor';

export const SALESFORCE_AUTH_TYPES = ['jwt', 'client_credentials'] as const;
export type SalesforceAuthType = (typeof SALESFORCE_AUTH_TYPES)[number];

const PEM_PRIVATE_KEY = /-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/;

/**
 * How nps-bridge signs in to one org. Only server-to-server flows: the username-password flow is
 * blocked in new orgs and being retired (vendor-apis.md §1 Deprecations).
 */
export class SalesforceCredentials {
  @IsIn(SALESFORCE_AUTH_TYPES)
  authType: SalesforceAuthType;

  /** login.salesforce.com, test.salesforce.com, a My Domain host, or the sandbox URL in tests. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
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

  /** Client credentials: the connected app's consumer secret. */
  @ValidateIf((c: SalesforceCredentials) => c.authType === 'client_credentials')
  @IsString()
  clientSecret?: string;

  /** Known instance URL; the token response's instance_url wins when they differ. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  instanceUrl?: string;
}
