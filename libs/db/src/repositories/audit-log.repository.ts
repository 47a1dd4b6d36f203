import { EntityManager, Repository } from 'typeorm';
import { AuditEntry } from '../entities/audit-entry.entity';

/** One audit entry: who did what to which entity. */
export type NewAuditEntry = Pick<AuditEntry, 'actor' | 'action' | 'entity' | 'entityId' | 'details'>;

/** audit_log: who changed what (admin actions and automatic status changes); only ever appended to. */
export class AuditLogRepository {
  constructor(private readonly db: EntityManager) {}

  async record(entry: NewAuditEntry): Promise<void> {
    await this.db.getRepository(AuditEntry).insert(entry as Parameters<Repository<AuditEntry>['insert']>[0]);
  }
}
