import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminRequest } from '../admin-keys/admin-key.middleware';
import { ApiErrors } from '../docs/api-errors';
import { ParseIdPipe } from '../http/input-pipes';
import { CONNECTOR_KINDS } from '@libs/app/src/connections/connector-schemas';
import { OAuthAppDto, OAuthOutcomeDto, OAuthStartedDto, StartOAuthDto } from '@libs/app/src/connections/oauth.dto';
import { OAuthConnectService } from '@libs/app/src/connections/oauth-connect.service';

const actor = (req: AdminRequest) => `admin_key:${req.adminKey?.id ?? 'unknown'}`;

/**
 * "Bring your own OAuth app": what to register with the vendor, starting the authorization code
 * flow, and how it ended. The vendor returns the browser to /oauth/callback/<kind> (no admin key
 * there: the single-use state ties it to the flow started here).
 */
@ApiTags('connections')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/oauth')
export class OAuthController {
  constructor(private readonly oauth: OAuthConnectService) {}

  @Get('apps')
  @ApiOperation({ summary: 'Every vendor that connects through an OAuth app: the exact callback URL and the scopes to register, and what account it needs' })
  @ApiOkResponse({ type: [OAuthAppDto] })
  apps(): OAuthAppDto[] {
    return this.oauth.apps();
  }

  @Get('apps/:kind')
  @ApiOperation({ summary: "One vendor's OAuth app: the exact callback URL (PUBLIC_URL + /oauth/callback/<kind>) and the scopes to register" })
  @ApiParam({ name: 'kind', enum: CONNECTOR_KINDS })
  @ApiOkResponse({ type: OAuthAppDto })
  @ApiErrors({ 400: 'kind is not a connector, or one that connects without an OAuth app' })
  app(@Param('kind') kind: string): OAuthAppDto {
    return this.oauth.app(kind);
  }

  @Post('authorizations')
  @ApiOperation({
    summary: "Starts connecting with an OAuth app: its client id and secret (stored encrypted) give the vendor's authorize URL, with a state used once within 10 minutes",
  })
  @ApiCreatedResponse({ type: OAuthStartedDto })
  @ApiErrors(400, { 404: 'no connection with this connectionId', 409: 'a connection with this name exists' })
  start(@Body() body: StartOAuthDto, @Req() req: AdminRequest): Promise<OAuthStartedDto> {
    return this.oauth.start(body, actor(req));
  }

  @Get('authorizations/:id')
  @ApiOperation({ summary: "How a started OAuth connection ended: connected (with the connection), failed (in the vendor's words), pending or expired" })
  @ApiOkResponse({ type: OAuthOutcomeDto })
  @ApiErrors(400, { 404: 'no OAuth authorization with this id' })
  outcome(@Param('id', ParseIdPipe) id: string): Promise<OAuthOutcomeDto> {
    return this.oauth.outcome(id);
  }
}
