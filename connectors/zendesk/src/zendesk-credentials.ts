import { IsEmail, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, ValidateIf } from 'class-validator';

const ZENDESK_AUTH_TYPES = ['api_token', 'oauth'] as const;
export type ZendeskAuthType = (typeof ZENDESK_AUTH_TYPES)[number];

/** An OAuth client's id and secret are needed once there is a refresh token to use them with. */
const refreshable = (c: ZendeskCredentials, own: unknown) => c.authType === 'oauth' && (own !== undefined || c.refreshToken !== undefined);

/**
 * How nps-bridge reaches one Zendesk account: an admin's email with an API token (the token is
 * account-wide, the email says whose rights apply), or an OAuth access token, with the refresh
 * token and OAuth client that renew it when the connect flow made it (README "OAuth"). Stored
 * encrypted; never logged. Incremental exports, webhooks and triggers all need an admin.
 */
export class ZendeskCredentials {
  @IsIn(ZENDESK_AUTH_TYPES, { message: 'authType must be api_token or oauth' })
  authType: ZendeskAuthType;

  /** "acme" for acme.zendesk.com. */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]*$/i, { message: 'subdomain must be the account subdomain, e.g. acme for acme.zendesk.com' })
  subdomain: string;

  @ValidateIf((c: ZendeskCredentials) => c.authType === 'api_token')
  @IsEmail({}, { message: 'email must be the email address of the Zendesk admin the API token acts for' })
  email?: string;

  @ValidateIf((c: ZendeskCredentials) => c.authType === 'api_token')
  @IsString()
  @IsNotEmpty({ message: 'apiToken must not be empty' })
  apiToken?: string;

  @ValidateIf((c: ZendeskCredentials) => c.authType === 'oauth')
  @IsString()
  @IsNotEmpty({ message: 'accessToken must not be empty' })
  accessToken?: string;

  /** OAuth: renews the access token (each refresh returns a new one and ends the old one). */
  @ValidateIf((c: ZendeskCredentials) => c.authType === 'oauth' && c.refreshToken !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'refreshToken must not be empty' })
  refreshToken?: string;

  /** OAuth with a refresh token: the OAuth client's unique identifier. */
  @ValidateIf((c: ZendeskCredentials) => refreshable(c, c.clientId))
  @IsString()
  @IsNotEmpty({ message: 'clientId must not be empty' })
  clientId?: string;

  /** OAuth with a refresh token: the OAuth client's secret. */
  @ValidateIf((c: ZendeskCredentials) => refreshable(c, c.clientSecret))
  @IsString()
  @IsNotEmpty({ message: 'clientSecret must not be empty' })
  clientSecret?: string;

  /** OAuth: when the access token expires (ISO 8601); renewed a minute before. */
  @ValidateIf((c: ZendeskCredentials) => c.authType === 'oauth' && c.expiresAt !== undefined)
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 instant' })
  expiresAt?: string;

  /** Another API host: the sandbox in tests and the demo. Unset means https://{subdomain}.zendesk.com. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl?: string;

  /** The webhook's signing secret; filled in by the setup command, never typed by an admin. */
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'webhookSigningSecret must not be empty' })
  webhookSigningSecret?: string;
}
