import { EntityManager, IsNull } from 'typeorm';
import { AdminKey } from '../entities/admin-key.entity';

/** admin_keys: the admin API's keys; only a hash of each secret is kept. */
export class AdminKeysRepository {
  constructor(private readonly db: EntityManager) {}

  private get keys() {
    return this.db.getRepository(AdminKey);
  }

  async create(key: Pick<AdminKey, 'name' | 'prefix' | 'keyHash'>): Promise<AdminKey> {
    return this.keys.save(this.keys.create({ name: key.name, prefix: key.prefix, keyHash: key.keyHash }));
  }

  /** The key with this hash, unless revoked. */
  async findActiveByHash(keyHash: string): Promise<AdminKey | null> {
    return this.keys.findOne({ where: { keyHash, revokedAt: IsNull() } });
  }

  async touchLastUsed(id: string, at: Date): Promise<void> {
    await this.keys.update(id, { lastUsedAt: at });
  }

  /** Every key, revoked ones too, oldest first. */
  async list(): Promise<AdminKey[]> {
    return this.keys.find({ order: { createdAt: 'ASC' } });
  }

  async countActive(): Promise<number> {
    return this.keys.count({ where: { revokedAt: IsNull() } });
  }

  /** Revokes the key if it is still active; false when there was no such active key. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return !!result.affected;
  }
}
