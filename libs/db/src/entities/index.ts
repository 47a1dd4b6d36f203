import { AdminKey } from './admin-key.entity';
import { AuditEntry } from './audit-entry.entity';
import { Connection } from './connection.entity';
import { SyncCursor, SyncRun } from './sync.entity';

export * from './admin-key.entity';
export * from './audit-entry.entity';
export * from './connection.entity';
export * from './sync.entity';
export * from '../row-values';

/**
 * The tables the repositories reach through TypeORM's entity API. The others are read and
 * written by named SQL statements only, so they have no entity.
 */
export const ENTITIES = [AdminKey, AuditEntry, Connection, SyncCursor, SyncRun];
