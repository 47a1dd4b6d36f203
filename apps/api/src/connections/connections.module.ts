import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntry, Connection, SyncRun } from '../../../../libs/db/src';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService } from './connections.service';
import { ConnectorRegistryModule } from './connector-registry.module';

@Module({
  imports: [ConnectorRegistryModule, TypeOrmModule.forFeature([Connection, SyncRun, AuditEntry])],
  controllers: [ConnectionsController],
  providers: [ConnectionsService],
})
export class ConnectionsModule {}
