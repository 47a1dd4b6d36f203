import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type FollowUpStatus = 'pending' | 'open' | 'completed' | 'cancelled' | 'failed';

/** A task a person must do after a response; closing it in the CRM closes the loop. */
@Entity('follow_ups')
export class FollowUp {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'response_id' }) responseId: string;
  /** Which rule made it (e.g. detractor_call, escalation); unique per response. */
  @Column('text') kind: string;
  @Column('text', { name: 'owner_kind' }) ownerKind: 'account_owner' | 'leadership' | 'helpdesk_group';
  @Column('text', { name: 'owner_external_id', nullable: true }) ownerExternalId: string | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt: Date | null;
  @Column('text') priority: 'high' | 'normal' | 'low';
  @Column('text') subject: string;
  @Column('text') body: string;
  @Column('uuid', { name: 'target_connection_id', nullable: true }) targetConnectionId: string | null;
  @Column('text', { name: 'target_system' }) targetSystem: string;
  /** The vendor's id for the task, once created: a retry never creates a second one. */
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text', { default: 'pending' }) status: FollowUpStatus;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
  @Column('uuid', { name: 'account_id', nullable: true }) accountId: string | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
