import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An admin API key; only a hash of the secret is kept. */
@Entity('admin_keys')
export class AdminKey {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  /** First characters of the key, shown to tell keys apart. */
  @Column('text') prefix: string;
  @Column('text', { name: 'key_hash' }) keyHash: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
