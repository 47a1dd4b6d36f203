import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AdminKey, AuditEntry } from '@libs/db/src';
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
  constructor(
    @InjectRepository(AdminKey) private readonly keys: Repository<AdminKey>,
    @InjectRepository(AuditEntry) private readonly audit: Repository<AuditEntry>,
  ) {}

  async create(name: string, actor: string): Promise<CreatedAdminKey> {
    const { key, prefix, hash } = generateAdminKey();
    const row = await this.keys.save(this.keys.create({ name, prefix, keyHash: hash }));
    await this.audit.insert({ actor, action: 'admin_key.created', entity: 'admin_key', entityId: row.id, details: { name, prefix } });
    return { id: row.id, name: row.name, prefix, key, createdAt: row.createdAt };
  }

  /** The active key matching `key`, touching its last-used time; undefined otherwise. */
  async verify(key: string): Promise<AdminKey | undefined> {
    const hash = hashAdminKey(key);
    const row = await this.keys.findOne({ where: { keyHash: hash, revokedAt: IsNull() } });
    if (!row || !hashesEqual(row.keyHash, hash)) return undefined;
    await this.keys.update(row.id, { lastUsedAt: new Date() });
    return row;
  }

  list(): Promise<AdminKey[]> {
    return this.keys.find({ order: { createdAt: 'ASC' } });
  }

  async countActive(): Promise<number> {
    return this.keys.count({ where: { revokedAt: IsNull() } });
  }

  async revoke(id: string, actor: string): Promise<void> {
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw new NotFoundException(`no active admin key with id ${id}`);
    await this.audit.insert({ actor, action: 'admin_key.revoked', entity: 'admin_key', entityId: id, details: {} });
  }
}
