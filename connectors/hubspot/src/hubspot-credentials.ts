import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUrl, ValidateIf } from 'class-validator';

export type HubSpotAuthType = 'private_app' | 'oauth';

/**
 * What an admin gives us to reach one HubSpot account: a private-app token (legacy, one account)
 * or an OAuth app's client and refresh token. Stored encrypted; never logged.
 */
export class HubSpotCredentials {
  @IsIn(['private_app', 'oauth'], { message: 'authType must be private_app or oauth' })
  authType: HubSpotAuthType;

  /** Private app: the app's token. OAuth: the last access token, if we have one. */
  @ValidateIf((c: HubSpotCredentials) => c.authType === 'private_app' || c.accessToken !== undefined)
  @IsString()
  @IsNotEmpty()
  accessToken?: string;

  @ValidateIf((c: HubSpotCredentials) => c.authType === 'oauth')
  @IsString()
  @IsNotEmpty()
  clientId?: string;

  @ValidateIf((c: HubSpotCredentials) => c.authType === 'oauth')
  @IsString()
  @IsNotEmpty()
  clientSecret?: string;

  @ValidateIf((c: HubSpotCredentials) => c.authType === 'oauth')
  @IsString()
  @IsNotEmpty()
  refreshToken?: string;

  /** When the OAuth access token expires (ISO 8601); we refresh a minute before. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 instant' })
  expiresAt?: string;

  /** Another API host: the sandbox in tests and the demo. Unset means https://api.hubapi.com. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl?: string;
}
