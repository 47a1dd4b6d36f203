import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ContactRole as Role } from './contact.entity';

/** The roles one contact holds at one account, as the CRM names them and normalised. */
@Entity('contact_roles')
export class ContactRoleRelation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'connection_id' }) connectionId: string;
  @Column('text', { name: 'external_id' }) externalId: string;
  @Column('text', { name: 'account_external_id' }) accountExternalId: string;
  @Column('text', { name: 'contact_external_id' }) contactExternalId: string;
  @Column('uuid', { name: 'account_id', nullable: true }) accountId: string | null;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('text', { name: 'source_roles', array: true, default: [] }) sourceRoles: string[];
  @Column('text', { default: 'other' }) role: Role;
  @Column('timestamptz', { name: 'remote_modified_at', nullable: true }) remoteModifiedAt: Date | null;
  @Column('timestamptz', { name: 'last_seen_at', default: () => 'now()' }) lastSeenAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' }) deletedAt: Date | null;
}
