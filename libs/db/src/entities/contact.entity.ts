import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type ContactRole = 'decision_maker' | 'admin' | 'end_user' | 'other';

/** A person at a customer account, with the role normalised from the CRM. */
@Entity('contacts')
export class Contact {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'connection_id' }) connectionId: string;
  @Column('text', { name: 'external_id' }) externalId: string;
  @Column('uuid', { name: 'account_id', nullable: true }) accountId: string | null;
  /** The CRM's id of the primary account, kept until that account arrives. */
  @Column('text', { name: 'account_external_id', nullable: true }) accountExternalId: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { name: 'first_name', nullable: true }) firstName: string | null;
  @Column('text', { name: 'last_name', nullable: true }) lastName: string | null;
  @Column('text', { default: 'other' }) role: ContactRole;
  /** The CRM's own role values, kept to re-map when the admin changes the mapping. */
  @Column('text', { name: 'source_roles', array: true, default: [] }) sourceRoles: string[];
  @Column('timestamptz', { name: 'unsubscribed_at', nullable: true }) unsubscribedAt: Date | null;
  @Column('timestamptz', { name: 'remote_modified_at', nullable: true }) remoteModifiedAt: Date | null;
  @Column('timestamptz', { name: 'last_seen_at', default: () => 'now()' }) lastSeenAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' }) deletedAt: Date | null;
}
