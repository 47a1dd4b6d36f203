import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A customer account as synced from the CRM. ARR is a decimal string, never a float. */
@Entity('accounts')
export class Account {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'connection_id' }) connectionId: string;
  @Column('text', { name: 'external_id' }) externalId: string;
  @Column('text') name: string;
  @Column('numeric', { precision: 16, scale: 2, nullable: true }) arr: string | null;
  @Column('char', { name: 'arr_currency', length: 3, nullable: true }) arrCurrency: string | null;
  /** YYYY-MM-DD */
  @Column('date', { name: 'renewal_date', nullable: true }) renewalDate: string | null;
  @Column('text', { nullable: true }) tier: string | null;
  /** YYYY-MM-DD */
  @Column('date', { name: 'customer_since', nullable: true }) customerSince: string | null;
  @Column('text', { name: 'owner_external_id', nullable: true }) ownerExternalId: string | null;
  @Column('numeric', { name: 'usage_score', precision: 12, scale: 4, nullable: true }) usageScore: string | null;
  @Column('boolean', { default: true }) active: boolean;
  @Column('timestamptz', { name: 'remote_modified_at', nullable: true }) remoteModifiedAt: Date | null;
  @Column('timestamptz', { name: 'last_seen_at', default: () => 'now()' }) lastSeenAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' }) deletedAt: Date | null;
}
