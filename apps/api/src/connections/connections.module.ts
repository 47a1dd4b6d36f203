import { Module } from '@nestjs/common';
import { ConnectionsController } from './connections.controller';
import { OAuthCallbackController } from './oauth-callback.controller';
import { OAuthController } from './oauth.controller';

@Module({ controllers: [ConnectionsController, OAuthController, OAuthCallbackController] })
export class ConnectionsModule {}
