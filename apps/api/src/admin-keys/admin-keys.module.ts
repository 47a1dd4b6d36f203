import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AdminKeyMiddleware } from './admin-key.middleware';
import { AdminKeysController } from './admin-keys.controller';

@Module({
  controllers: [AdminKeysController],
  providers: [AdminKeyMiddleware],
})
export class AdminKeysModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AdminKeyMiddleware).forRoutes({ path: 'api', method: RequestMethod.ALL }, { path: 'api/*path', method: RequestMethod.ALL });
  }
}
