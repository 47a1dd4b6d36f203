import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AdminKey } from '@libs/db/src';
import { AdminKeysRepository } from '@libs/db/src/repositories/admin-keys.repository';
import { AuditLogRepository } from '@libs/db/src/repositories/audit-log.repository';
import { generateAdminKey, hashAdminKey, hashesEqual } from './admin-key-secret';

export interface CreatedAdminKey {
  id: string;
  name: string;
  prefix: string;
  /** Shown once, at creation; never stored. */
  key: string;
  createdAt: Date;
}

@Injectable()
export class AdminKeyService {
  private readonly keys: AdminKeysRepository;
  private readonly audit: AuditLogRepository;

  constructor(@InjectDataSource() db: DataSource) {
    this.keys = new AdminKeysRepository(db.manager);
    this.audit = new AuditLogRepository(db.manager);
  }

  async create(name: string, actor: string): Promise<CreatedAdminKey> {
    const { key, prefix, hash } = generateAdminKey();
    const row = await this.keys.create({ name, prefix, keyHash: hash });
    await this.audit.record({ actor, action: 'admin_key.created', entity: 'admin_key', entityId: row.id, details: { name, prefix } });
    return { id: row.id, name: row.name, prefix, key, createdAt: row.createdAt };
  }

  /** The active key matching `key`, touching its last-used time; undefined otherwise. */
  async verify(key: string): Promise<AdminKey | undefined> {
    const hash = hashAdminKey(key);
    const row = await this.keys.findActiveByHash(hash);
    if (!row || !hashesEqual(row.keyHash, hash)) return undefined;
    await this.keys.touchLastUsed(row.id, new Date());
    return row;
  }

  list(): Promise<AdminKey[]> {
    return this.keys.list();
  }

  async countActive(): Promise<number> {
    return this.keys.countActive();
  }

  async revoke(id: string, actor: string): Promise<void> {
    if (!(await this.keys.revoke(id, new Date()))) throw new NotFoundException(`no active admin key with id ${id}`);
    await this.audit.record({ actor, action: 'admin_key.revoked', entity: 'admin_key', entityId: id, details: {} });
  }
}
