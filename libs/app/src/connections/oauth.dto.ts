import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { CONNECTOR_KINDS, settingsRefs } from './connector-schemas';

/** Optional, but never null: a field left out is absent, null is refused naming the field. */
const given = (_: object, value: unknown) => value !== undefined;

/**
 * A path on this service to send the admin's browser back to ("/console/connections/…"): never
 * another site (no scheme, no "//host", no backslash, no spaces or control characters).
 */
export const RETURN_PATH = /^\/(?![/\\])[^\s\\\p{Cc}]*$/u;

export class OAuthAccountFieldDto {
  @ApiProperty({ example: 'myDomainUrl', description: 'the field of `account` in POST /api/oauth/authorizations' }) name: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'uri', description: 'uri for URLs; null for plain text' }) format: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'what it must be, in the connector’s words' }) description: string | null;
}

export class OAuthAppDto {
  @ApiProperty({ enum: CONNECTOR_KINDS }) kind: string;
  @ApiProperty({ description: "the vendor's product name" }) label: string;
  @ApiProperty({
    format: 'uri',
    example: 'https://nps.example.com/oauth/callback/<kind>',
    description: "the callback (redirect) URL to register on the vendor's app, exactly: it is PUBLIC_URL + /oauth/callback/<kind>",
  })
  callbackUrl: string;
  @ApiProperty({ type: [String], example: ['read', 'write'], description: 'the scopes to give the app, in the vendor’s words; the authorize request asks for these' })
  scopes: string[];
  @ApiProperty({ description: 'whether the flow uses PKCE (the app may require it)' }) pkce: boolean;
  @ApiProperty({ description: 'where the admin registers the app, in one sentence' }) registration: string;
  @ApiProperty({ type: [OAuthAccountFieldDto], description: 'what `account` takes when starting: the My Domain URL, the subdomain, or another host (a sandbox)' })
  accountFields: OAuthAccountFieldDto[];
}

export class StartOAuthDto {
  @ApiProperty({ enum: CONNECTOR_KINDS, description: 'the vendor whose OAuth app the admin registered' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  kind: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'the new connection’s name (unique); leave out with connectionId' })
  @ValidateIf(given)
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'an existing connection of this kind to sign in again (its credentials are replaced when the flow succeeds)' })
  @ValidateIf(given)
  @IsUUID('all', { message: 'connectionId must be a UUID' })
  connectionId?: string;

  @ApiProperty({ minLength: 1, maxLength: 500, description: "the app's client id (some vendors call it the consumer key)" })
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(500)
  clientId: string;

  @ApiProperty({ minLength: 1, maxLength: 1000, description: "the app's client secret (or consumer secret); stored encrypted, never returned" })
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(1000)
  clientSecret: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { subdomain: 'acme' },
    description: 'which vendor account: the fields GET /api/oauth/apps/{kind} lists (accountFields)',
  })
  @ValidateIf(given)
  @IsObject()
  account?: Record<string, unknown>;

  @ApiPropertyOptional({ oneOf: settingsRefs(), description: 'a new connection’s settings (as in POST /api/connections), validated now' })
  @ValidateIf(given)
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiProperty({
    example: '/console/connections/new',
    maxLength: 2000,
    description: 'a path on this service the browser returns to after the vendor; ?oauth=<id>&result=connected|failed (and connection=<id> or error=<code>) are added',
  })
  @IsString()
  @MaxLength(2000)
  @Matches(RETURN_PATH, { message: 'returnTo must be a path on this service starting with a single /, e.g. /console/connections' })
  returnTo: string;
}

export class OAuthStartedDto {
  @ApiProperty({ format: 'uuid', description: 'the flow; its outcome is GET /api/oauth/authorizations/{id}' }) id: string;
  @ApiProperty({ enum: CONNECTOR_KINDS }) kind: string;
  @ApiProperty({ format: 'uri', description: "where to send the admin's browser: the vendor's consent page, with the state (and PKCE challenge)" })
  authorizeUrl: string;
  @ApiProperty({ format: 'uri', description: 'the callback URL the vendor returns to (as registered)' }) callbackUrl: string;
  @ApiProperty({ type: Date, description: 'the state is refused after this (used once, 10 minutes)' }) expiresAt: Date;
}

export class OAuthErrorDto {
  @ApiProperty({ example: 'access_denied', description: "the vendor's error code (or ours: expired_state, name_taken, …)" }) code: string;
  @ApiProperty({ example: 'end-user denied authorization', description: "the vendor's own words" }) message: string;
}

export class OAuthOutcomeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CONNECTOR_KINDS }) kind: string;
  @ApiProperty({ enum: ['pending', 'connected', 'failed', 'expired'], description: 'expired: the vendor never came back within 10 minutes' }) status: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the connection made or signed in again' }) connectionId: string | null;
  @ApiProperty({ nullable: true, type: OAuthErrorDto }) error: OAuthErrorDto | null;
  @ApiProperty({ description: 'where the browser was sent back' }) returnTo: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty() expiresAt: Date;
  @ApiProperty({ nullable: true, type: Date }) completedAt: Date | null;
}

export class CrmFieldDto {
  @ApiProperty({ example: 'ARR__c', description: 'the API name a fieldMapping setting takes' }) name: string;
  @ApiProperty({ example: 'ARR' }) label: string;
  @ApiProperty({ enum: ['text', 'number', 'currency', 'date', 'datetime', 'boolean', 'picklist', 'reference', 'other'] }) type: string;
  @ApiProperty({ description: 'made by the customer (or a package), not one the CRM ships with' }) custom: boolean;
  @ApiPropertyOptional({ type: [String], description: 'a picklist’s values' }) options?: string[];
}

export class CrmFieldsDto {
  @ApiProperty({ enum: ['account', 'contact'] }) object: string;
  @ApiProperty({ type: [CrmFieldDto], description: 'what the integration user can read, as the CRM describes it' }) fields: CrmFieldDto[];
}
