import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Connection } from '../../../../libs/db/src';
import { ConnectorBuilder } from './connector-builder';

/**
 * The one provider of ConnectorBuilder (the process's connector registry): the connections API,
 * the sync, the outbox, the read-back and the ticket events all get this instance, so a
 * connection has one connector per process, not one per feature module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Connection])],
  providers: [ConnectorBuilder],
  exports: [ConnectorBuilder],
})
export class ConnectorRegistryModule {}
