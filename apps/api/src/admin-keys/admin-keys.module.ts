import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminKey, AuditEntry } from '../../../../libs/db/src';
import { AdminKeyMiddleware } from './admin-key.middleware';
import { AdminKeyService } from './admin-key.service';
import { AdminKeysController } from './admin-keys.controller';

@Module({
  imports: [TypeOrmModule.forFeature([AdminKey, AuditEntry])],
  controllers: [AdminKeysController],
  providers: [AdminKeyService, AdminKeyMiddleware],
  exports: [AdminKeyService],
})
export class AdminKeysModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(AdminKeyMiddleware)
      .forRoutes({ path: 'api', method: RequestMethod.ALL }, { path: 'api/*path', method: RequestMethod.ALL });
  }
}
